//! The flags that pick rules and change their settings for one command (`validate`, `diff`):
//! `--rule`, `--skip`, `--set`, applied over the config file.

use clap::Args;

#[derive(Args, Debug, Clone, Default)]
pub struct RuleArgs {
    /// Run only this rule (repeatable)
    #[arg(long = "rule", value_name = "ID", value_parser = super::offered::rule_id())]
    pub rules: Vec<String>,
    /// Skip this rule (repeatable)
    #[arg(long = "skip", value_name = "ID", value_parser = super::offered::rule_id())]
    pub skips: Vec<String>,
    /// Override a setting, e.g. latency.simple_max_s=20 (repeatable)
    #[arg(long = "set", value_name = "RULE.KEY=VALUE")]
    pub sets: Vec<String>,
}

impl RuleArgs {
    /// The config file (`--config`, else the default place) with these flags applied.
    pub fn config(
        &self,
        common: &super::Common,
    ) -> Result<crate::core::validate::Config, super::Fatal> {
        let mut config = crate::config::load(common.config.as_deref()).map_err(super::Fatal)?;
        crate::config::apply_flags(&mut config, &self.rules, &self.skips, &self.sets)
            .map_err(super::Fatal)?;
        Ok(config)
    }
}
