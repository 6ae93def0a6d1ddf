// Exposes the entry point to WebApplicationFactory in tests.
public partial class Program;
