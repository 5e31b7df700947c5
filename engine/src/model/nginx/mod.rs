//! nginx as the rules need it: the worker user so far.

use super::{Origin, Parsed};
use crate::source::{FileId, SourceSet};

/// The account nginx workers run as when the config has no `user` directive (compiled default).
pub const DEFAULT_USER: &str = "nobody";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NginxModel {
    /// Whether any nginx file was given.
    pub present: bool,
    /// Whether the main `nginx.conf` (the file with the `http` block or `user`) was given.
    pub has_main_conf: bool,
    /// The `user` directive: account name and where it is written.
    pub user: Option<(String, Origin)>,
}

impl NginxModel {
    pub fn build(sources: &SourceSet, parsed: &[(FileId, Parsed)]) -> Self {
        let mut model = Self::default();
        for (file, p) in parsed {
            let Parsed::Nginx(doc) = p else { continue };
            model.present = true;
            let is_main = sources
                .get(*file)
                .is_some_and(|f| f.path.ends_with("/nginx.conf") || f.path == "nginx.conf");
            for directive in &doc.directives {
                if directive.name == "http" || directive.name == "events" {
                    model.has_main_conf = true;
                }
                if directive.name == "user"
                    && let Some(arg) = directive.args.first()
                {
                    {
                        model.has_main_conf = true;
                        model.user = Some((
                            arg.value.clone(),
                            Origin {
                                file: *file,
                                statement: directive.range,
                                value: arg.range,
                            },
                        ));
                    }
                }
            }
            model.has_main_conf |= is_main;
        }
        model
    }

    /// The web server's account, if the main config was given.
    pub fn worker_user(&self) -> Option<&str> {
        match &self.user {
            Some((user, _)) => Some(user.as_str()),
            None if self.has_main_conf => Some(DEFAULT_USER),
            None => None,
        }
    }
}
