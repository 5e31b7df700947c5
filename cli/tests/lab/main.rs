//! The hardened rewrite, proven on live servers. The test starts a real nginx (listening on
//! every interface, as a public site does) and php-fpm from an insecure host under a temporary
//! root: two sites (blog, wiki) on one pool running as nginx's user, images allowed as scripts,
//! the FPM status page open. It shows the attacks work, applies `fpmaudit fix` and the
//! provisioning script it writes, restarts both servers, and shows the same requests now fail
//! while every normal page still answers 200. A client that is not local is played by curl
//! binding to 127.0.0.5.
//!
//! Needs root (it creates the split pools' users and their directories, and removes them
//! again), nginx, php-fpm8.2 and curl: `scripts/setup.sh` installs them and CI runs as root.

#[cfg(test)]
mod lab;

#[cfg(test)]
mod tests {
    use super::lab::{Lab, Response};

    fn assert_page(r: &Response, status: u16, needle: &str, what: &str) {
        assert!(
            r.status == status && r.body.contains(needle),
            "{what}: expected {status} with {needle:?}, got {} {:?}",
            r.status,
            r.body.chars().take(300).collect::<String>()
        );
    }

    /// Every normal page of both apps.
    fn normal_pages_work(lab: &Lab, when: &str) {
        assert_page(
            &lab.get("blog.test", "/"),
            200,
            "blog ok",
            &format!("{when}: blog /"),
        );
        assert_page(
            &lab.get("blog.test", "/index.php"),
            200,
            "blog ok",
            &format!("{when}: blog /index.php"),
        );
        assert_page(
            &lab.get("wiki.test", "/"),
            200,
            "wiki ok",
            &format!("{when}: wiki /"),
        );
        let image = lab.get("blog.test", "/uploads/avatar.jpg");
        assert_eq!(
            image.status, 200,
            "{when}: the uploaded image is still served"
        );
    }

    #[test]
    fn the_hardened_rewrite_stops_the_attacks_and_keeps_both_sites_up() {
        let mut lab = Lab::start();
        normal_pages_work(&lab, "insecure");
        // 1. An uploaded "image" runs as PHP through a path-info URL.
        let upload = lab.get("blog.test", "/uploads/avatar.jpg/x.php");
        assert_page(&upload, 200, "PWNED-2", "insecure: image executed as PHP");
        // 2. The FPM status page answers a client that is not local.
        let status = lab.get_from("127.0.0.5", "blog.test", "/fpm-status");
        assert_page(&status, 200, "pool:", "insecure: status page readable");
        // 3. One app reads the other's secrets.
        let peek = lab.get("wiki.test", "/peek.php");
        assert_page(
            &peek,
            200,
            "blog-db-password",
            "insecure: wiki reads blog's config",
        );

        lab.harden();

        normal_pages_work(&lab, "hardened");
        let upload = lab.get("blog.test", "/uploads/avatar.jpg/x.php");
        assert!(
            upload.status == 404 && !upload.body.contains("PWNED"),
            "hardened: image still executes: {} {}",
            upload.status,
            upload.body
        );
        let status = lab.get_from("127.0.0.5", "blog.test", "/fpm-status");
        assert!(
            status.status == 403 && !status.body.contains("pool:"),
            "hardened: status page still readable: {}",
            status.status
        );
        // Local monitoring keeps working, now per site.
        let local = lab.get("blog.test", "/fpm-status");
        assert_page(
            &local,
            200,
            "pool:                 blog",
            "hardened: local status",
        );
        let peek = lab.get("wiki.test", "/peek.php");
        assert!(
            peek.status == 200
                && !peek.body.contains("blog-db-password")
                && peek.body.contains("DENIED"),
            "hardened: wiki still reads blog's config: {}",
            peek.body
        );
    }
}
