fn main() {
    println!("cors-harness");
}
