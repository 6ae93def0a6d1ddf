using Gosuslugi.Health.Immunizations.Domain;
using Gosuslugi.Health.Contracts;

namespace Gosuslugi.Health.Immunizations.Tests;

public sealed class SnilsTests
{
    [Theory]
    [InlineData("11223344595")]    // weighted sum 95 < 100: the checksum is the sum
    [InlineData("112-233-445 95")] // the usual written form
    [InlineData("12345678964")]    // weighted sum 165 > 101: 165 mod 101 = 64
    public void Valid_numbers_pass(string value) =>
        Snils.Check(Snils.Normalize(value)).ShouldBe(Snils.Problem.None);

    [Theory]
    [InlineData("11223344596", Snils.Problem.Checksum)]
    [InlineData("1122334459", Snils.Problem.Format)]
    [InlineData("112233445951", Snils.Problem.Format)]
    [InlineData("1122334459A", Snils.Problem.Format)]
    [InlineData("", Snils.Problem.Format)]
    public void Invalid_numbers_fail(string value, Snils.Problem expected) =>
        Snils.Check(Snils.Normalize(value)).ShouldBe(expected);

    [Fact]
    public void Sums_of_100_and_101_give_checksum_00()
    {
        var hundred = Enumerable.Range(100_000_000, 1_000_000).First(n => WeightedSum(n) == 100);
        var hundredOne = Enumerable.Range(100_000_000, 1_000_000).First(n => WeightedSum(n) == 101);
        Snils.Check($"{hundred:D9}00").ShouldBe(Snils.Problem.None);
        Snils.Check($"{hundredOne:D9}00").ShouldBe(Snils.Problem.None);
        Snils.Check($"{hundred:D9}01").ShouldBe(Snils.Problem.Checksum);
    }

    [Fact]
    public void Numbers_issued_before_the_checksum_rule_are_not_checked() =>
        Snils.Check("00100199812").ShouldBe(Snils.Problem.None);

    private static int WeightedSum(int number)
    {
        var digits = number.ToString("D9");
        var sum = 0;
        for (var i = 0; i < 9; i++) sum += (digits[i] - '0') * (9 - i);
        return sum;
    }
}
