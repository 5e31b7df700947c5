//! The lab host: files from `tests/lab/host` under a fresh root in /run (not a shared temp
//! dir), a real php-fpm and nginx started from them, curl as the client.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) body: String,
}

pub(crate) struct Lab {
    root: PathBuf,
    port: u16,
    servers: Vec<Child>,
    /// Accounts and directories the provisioning script created, removed on drop.
    users: Vec<String>,
    dirs: Vec<PathBuf>,
}

fn template() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lab/host")
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn copy_tree(from: &Path, to: &Path, substitute: &dyn Fn(String) -> String) {
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target, substitute);
        } else {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            std::fs::write(&target, substitute(text)).unwrap();
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn user_exists(name: &str) -> bool {
    Command::new("getent")
        .args(["passwd", name])
        .output()
        .is_ok_and(|o| o.status.success())
}

impl Lab {
    pub(crate) fn start() -> Self {
        let uid = run(Command::new("id").arg("-u"));
        assert_eq!(
            uid.trim(),
            "0",
            "the lab starts servers and creates users: run it as root"
        );
        let root = PathBuf::from(format!("/run/fpmaudit-lab-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        let port = free_port();
        let prefix = root.display().to_string();
        copy_tree(&template(), &root, &|text: String| {
            text.replace("@ROOT@", &prefix)
                .replace("@PORT@", &port.to_string())
        });
        std::fs::copy(
            "/etc/nginx/fastcgi_params",
            root.join("etc/nginx/fastcgi_params"),
        )
        .unwrap();
        for dir in ["run/php", "log"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        // The workers (www-data) must be able to walk to the sites.
        run(Command::new("chmod").args(["-R", "a+rX"]).arg(&root));
        let mut lab = Self {
            root,
            port,
            servers: Vec::new(),
            users: Vec::new(),
            dirs: Vec::new(),
        };
        lab.start_servers();
        lab
    }

    fn log(&self, name: &str) -> std::fs::File {
        std::fs::File::create(self.root.join("log").join(name)).unwrap()
    }

    fn logs(&self) -> String {
        let mut all = String::new();
        for name in ["php-fpm.log", "php-fpm.out", "nginx-error.log", "nginx.out"] {
            let text =
                std::fs::read_to_string(self.root.join("log").join(name)).unwrap_or_default();
            let _ = writeln!(all, "== {name}\n{text}");
        }
        all
    }

    fn start_servers(&mut self) {
        let fpm = Command::new("php-fpm8.2")
            .arg("--nodaemonize")
            .arg("--fpm-config")
            .arg(self.root.join("etc/php/8.2/fpm/php-fpm.conf"))
            .arg("-c")
            .arg(self.root.join("etc/php/8.2/fpm/php.ini"))
            .stdout(Stdio::from(self.log("php-fpm.out")))
            .stderr(Stdio::from(self.log("php-fpm.out")))
            .spawn()
            .unwrap();
        self.servers.push(fpm);
        let nginx = Command::new("nginx")
            .arg("-p")
            .arg(format!("{}/", self.root.display()))
            .arg("-c")
            .arg(self.root.join("etc/nginx/nginx.conf"))
            .args(["-g", "daemon off;"])
            .stdout(Stdio::from(self.log("nginx.out")))
            .stderr(Stdio::from(self.log("nginx.out")))
            .spawn()
            .unwrap();
        self.servers.push(nginx);
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let up = self.get("blog.test", "/").status == 200
                && self.get("wiki.test", "/").status == 200;
            if up {
                return;
            }
            let died = self
                .servers
                .iter_mut()
                .any(|s| s.try_wait().ok().flatten().is_some());
            assert!(
                !died && Instant::now() < deadline,
                "the lab did not come up:\n{}",
                self.logs()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Graceful stops: a killed FPM master would leave workers serving the old socket.
    fn stop_servers(&mut self) {
        for mut server in self.servers.drain(..) {
            let _ = Command::new("kill")
                .args(["-TERM", &server.id().to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while server.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = server.kill();
            let _ = server.wait();
        }
    }

    fn curl(&self, source: Option<&str>, host: &str, path: &str) -> Response {
        let mut cmd = Command::new("curl");
        cmd.args(["-s", "-m", "5", "-o", "-", "-w", "\n%{http_code}", "-H"])
            .arg(format!("Host: {host}"));
        if let Some(ip) = source {
            cmd.args(["--interface", ip]);
        }
        let out = cmd
            .arg(format!("http://127.0.0.1:{}{path}", self.port))
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let (body, code) = text.rsplit_once('\n').unwrap_or(("", "0"));
        Response {
            status: code.trim().parse().unwrap_or(0),
            body: body.to_string(),
        }
    }

    pub(crate) fn get(&self, host: &str, path: &str) -> Response {
        self.curl(None, host, path)
    }

    /// A request from another address on the loopback net, as a client that is not local to
    /// nginx's `allow 127.0.0.1` would be.
    pub(crate) fn get_from(&self, source: &str, host: &str, path: &str) -> Response {
        self.curl(Some(source), host, path)
    }

    /// `fpmaudit fix` on the lab's configs, the hardened files copied over them, the
    /// provisioning script run, and both servers restarted.
    pub(crate) fn harden(&mut self) {
        self.stop_servers();
        let out = self.root.join("hardened");
        let fix = Command::new(env!("CARGO_BIN_EXE_fpmaudit"))
            .arg("fix")
            .arg(self.root.join("etc"))
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(
            fix.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&fix.stderr)
        );
        let mirrored = out.join(self.root.strip_prefix("/").unwrap());
        copy_tree(&mirrored.join("etc"), &self.root.join("etc"), &|t| t);
        let script = out.join("root/fpmaudit-provision.sh");
        let text = std::fs::read_to_string(&script).unwrap_or_else(|_| {
            panic!(
                "no provisioning script; fix said:\n{}",
                String::from_utf8_lossy(&fix.stderr)
            )
        });
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("id -u ") {
                let name = rest.split_whitespace().next().unwrap_or("").to_string();
                if !user_exists(&name) {
                    self.users.push(name);
                }
            }
            if let Some(rest) = line.strip_prefix("install -d ") {
                self.dirs.extend(
                    rest.split_whitespace()
                        .filter(|w| w.starts_with('/'))
                        .map(PathBuf::from),
                );
            }
        }
        run(Command::new("sh").arg(&script));
        self.start_servers();
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        self.stop_servers();
        for dir in &self.dirs {
            let _ = std::fs::remove_dir_all(dir);
        }
        for user in &self.users {
            let _ = Command::new("userdel").arg(user).status();
            // nginx's user joined the group, so userdel leaves it behind.
            let _ = Command::new("groupdel").arg(user).status();
        }
        let _ = std::fs::remove_dir_all(&self.root);
    }
}
