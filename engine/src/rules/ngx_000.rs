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

/// Directives that take a `{ ... }` block in nginx and its common modules. Any other name
/// followed by `{` is a simple directive whose `;` is missing: nginx says "directive ... is not
/// terminated by \";\"".
const BLOCK_DIRECTIVES: &[&str] = &[
    "http",
    "events",
    "server",
    "location",
    "upstream",
    "if",
    "limit_except",
    "map",
    "geo",
    "types",
    "split_clients",
    "charset_map",
    "match",
    "mail",
    "stream",
    "perl",
];

fn takes_block(name: &str) -> bool {
    BLOCK_DIRECTIVES.contains(&name) || name.ends_with("_block") || name.is_empty()
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
            for (_, directive) in doc.walk() {
                if let Some(block) = &directive.block
                    && !takes_block(&directive.name)
                {
                    let message = format!(
                        "directive \"{}\" is not terminated by \";\"",
                        directive.name
                    );
                    out.push(Self::meta_static().finding(*file, block.open, message));
                }
            }
        }
    }
}
