namespace Tests; public class Placeholder { [Fact] public void Builds() { } }
