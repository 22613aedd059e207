//! Rule `hierarchy`: not written yet.

use super::{Input, Judgement, Thresholds};

pub fn check(_input: &Input, _t: &Thresholds) -> Judgement {
    Judgement::default()
}
