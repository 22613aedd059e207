//! What an OTLP export request's body holds, as the OTLP/JSON text the span holder reads:
//! gzip undone (bounded), protobuf decoded and written in the OTLP/JSON mapping, JSON checked
//! to be text.

use std::io::Read as _;

use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use prost::Message as _;

use super::MAX_BODY;

/// The body's encoding, from `Content-Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Encoding {
    Protobuf,
    Json,
}

impl Encoding {
    /// From a `Content-Type` value (parameters ignored); `None` for any other type.
    pub(super) fn of(content_type: &str) -> Option<Encoding> {
        let media = content_type.split(';').next().unwrap_or("").trim();
        match media.to_ascii_lowercase().as_str() {
            "application/x-protobuf" | "application/protobuf" => Some(Encoding::Protobuf),
            "application/json" => Some(Encoding::Json),
            _ => None,
        }
    }

    /// The `Content-Type` a response in this encoding has.
    pub(super) fn content_type(self) -> &'static str {
        match self {
            Encoding::Protobuf => "application/x-protobuf",
            Encoding::Json => "application/json",
        }
    }
}

/// `bytes` with gzip undone, refusing more than [`MAX_BODY`] decoded bytes.
pub(super) fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .take(MAX_BODY as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("the gzip body could not be read: {e}"))?;
    if out.len() > MAX_BODY {
        return Err(format!(
            "the body is over {} MiB once unzipped",
            MAX_BODY >> 20
        ));
    }
    Ok(out)
}

/// A traces request's body as OTLP/JSON text.
pub(super) fn traces_json(bytes: Vec<u8>, encoding: Encoding) -> Result<String, String> {
    match encoding {
        Encoding::Json => String::from_utf8(bytes).map_err(|_| "the JSON body is not UTF-8".into()),
        Encoding::Protobuf => {
            let request = ExportTraceServiceRequest::decode(&bytes[..])
                .map_err(|e| format!("not an OTLP protobuf export request ({e})"))?;
            request_json(&request)
        }
    }
}

/// A decoded request written in the OTLP/JSON mapping (hex ids, camelCase, typed values).
pub(super) fn request_json(request: &ExportTraceServiceRequest) -> Result<String, String> {
    serde_json::to_string(request).map_err(|e| format!("the request could not be read ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use opentelemetry_proto::tonic::common::v1::{any_value, AnyValue, KeyValue};
    use opentelemetry_proto::tonic::trace::v1::{ResourceSpans, ScopeSpans, Span};

    #[test]
    fn protobuf_becomes_the_json_mapping_the_importer_reads() {
        let span = Span {
            trace_id: vec![0xab; 16],
            span_id: vec![0x01; 8],
            parent_span_id: vec![],
            name: "execute_tool search".into(),
            start_time_unix_nano: 1_700_000_000_000_000_000,
            end_time_unix_nano: 1_700_000_000_500_000_000,
            attributes: vec![KeyValue {
                key: "gen_ai.tool.name".into(),
                value: Some(AnyValue {
                    value: Some(any_value::Value::StringValue("search".into())),
                }),
                ..KeyValue::default()
            }],
            ..Span::default()
        };
        let request = ExportTraceServiceRequest {
            resource_spans: vec![ResourceSpans {
                scope_spans: vec![ScopeSpans {
                    spans: vec![span],
                    ..ScopeSpans::default()
                }],
                ..ResourceSpans::default()
            }],
        };
        let json = traces_json(request.encode_to_vec(), Encoding::Protobuf).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let s = &v["resourceSpans"][0]["scopeSpans"][0]["spans"][0];
        assert_eq!(s["traceId"], "abababababababababababababababab");
        assert_eq!(s["spanId"], "0101010101010101");
        assert_eq!(s["attributes"][0]["value"]["stringValue"], "search");
        assert!(traces_json(vec![0xff, 0xff], Encoding::Protobuf).is_err());
    }

    #[test]
    fn gzip_is_undone_and_bounded() {
        use std::io::Write as _;
        let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(b"{\"resourceSpans\":[]}").unwrap();
        assert_eq!(
            gunzip(&z.finish().unwrap()).unwrap(),
            b"{\"resourceSpans\":[]}"
        );
        assert!(gunzip(b"not gzip").is_err());
        let mut big = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        big.write_all(&vec![b' '; MAX_BODY + 1]).unwrap();
        assert!(gunzip(&big.finish().unwrap()).unwrap_err().contains("MiB"));
    }

    #[test]
    fn content_types() {
        assert_eq!(
            Encoding::of("application/x-protobuf"),
            Some(Encoding::Protobuf)
        );
        assert_eq!(
            Encoding::of("Application/JSON; charset=utf-8"),
            Some(Encoding::Json)
        );
        assert_eq!(Encoding::of("text/plain"), None);
    }
}
