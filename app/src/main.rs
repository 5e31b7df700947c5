fn main() {
    fpmaudit_app::run();
}
