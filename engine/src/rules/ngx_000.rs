use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::Parsed;

declare_rule! {
    /// ## What it does
    /// Reports nginx syntax that `nginx -t` rejects: unbalanced braces, a directive without its
    /// terminating `;`, an unterminated quote.
    ///
    /// ## Why is this bad?
    /// nginx refuses to load a configuration with a syntax error, so the next reload or restart
    /// fails. The rest of the audit of this file is also less certain, because the structure
    /// after the error is a guess.
    ///
    /// ## How to fix
    /// Close every block and end every simple directive with `;`. Run `nginx -t` after editing.
    ///
    /// ## Example
    /// ```nginx bad
    /// server {
    ///     listen 80
    /// }
    /// ```
    /// ```nginx good
    /// server {
    ///     listen 80;
    /// }
    /// ```
    ///
    /// ## References
    /// - nginx `src/core/ngx_conf_file.c`, `ngx_conf_read_token`
    NginxSyntax {
        id: "NGX-000",
        title: "nginx file cannot be parsed",
        severity: High,
        fixable: false,
    }
}

impl Rule for NginxSyntax {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for (file, parsed) in &cx.model.parsed {
            let Parsed::Nginx(doc) = parsed else { continue };
            for error in &doc.errors {
                out.push(Self::meta_static().finding(*file, error.range, error.message.clone()));
            }
        }
    }
}
