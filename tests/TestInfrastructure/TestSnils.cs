namespace Gosuslugi.Health.TestInfrastructure;

/// <summary>Valid, distinct SNILS numbers (with their checksum) for test patients.</summary>
public static class TestSnils
{
    private static int _next = Random.Shared.Next(10_000_000, 900_000_000);

    public static string Next() => WithChecksum(Interlocked.Increment(ref _next));

    public static string WithChecksum(int number) => Contracts.Snils.WithChecksum(number);

    /// <summary>The same number with a wrong checksum.</summary>
    public static string Broken(string snils) =>
        snils[..9] + ((int.Parse(snils[9..]) + 1) % 100).ToString("D2");
}
