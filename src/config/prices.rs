//! The config's `[prices."MODEL"]` tables: a model's prices (`input`, `output`, optional
//! `cache_read`, `cache_write` and `cache_write_1h`, USD per million tokens) replacing or adding a
//! row of the built-in pricing table (`core/usage/prices.toml`).

use crate::core::usage::pricing::Prices;

/// The built-in table with the config's rows over it; a mistake is one line naming the key.
pub(super) fn read(table: &toml::Table, origin: &str) -> Result<Prices, String> {
    let mut prices = Prices::built_in();
    for (model, value) in table {
        let toml::Value::Table(row) = value else {
            return Err(format!(
                "config error in {origin}: prices.\"{model}\" is a table (input = …, output = …)"
            ));
        };
        prices
            .set(model, row.clone(), origin)
            .map_err(|e| format!("config error in {origin}: {e}"))?;
    }
    Ok(prices)
}

#[cfg(test)]
mod tests {
    #[test]
    fn config_prices_override_the_table_and_typos_are_one_line() {
        let c = super::super::parse(
            "[prices.\"fake-model\"]\ninput = 1.0\noutput = 2.0\n",
            "c.toml",
        )
        .unwrap();
        assert_eq!(
            c.thresholds.prices.find("fake-model").map(|r| r.output),
            Some(2.0)
        );
        assert!(c.thresholds.prices.find("claude-opus-4-1").is_some());
        let err = super::super::parse("[prices.\"m\"]\ninput = 1.0\n", "c.toml").unwrap_err();
        assert!(err.contains("c.toml") && err.contains("output"), "{err}");
        assert!(!err.contains('\n'));
        let err = super::super::parse("[prices]\nm = 3\n", "c.toml").unwrap_err();
        assert!(err.contains("prices.\"m\""), "{err}");
    }
}
