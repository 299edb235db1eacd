fn main() {
    driehoek::mount();
}
