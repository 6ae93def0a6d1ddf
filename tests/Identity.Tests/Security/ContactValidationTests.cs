using Gosuslugi.Health.Identity.Security;

namespace Gosuslugi.Health.Identity.Tests.Security;

public sealed class ContactValidationTests
{
    [Theory]
    [InlineData("8 (912) 345-67-89")]
    [InlineData("+7 912 345 67 89")]
    [InlineData("+7 (912) 345-67-89")]
    [InlineData("9123456789")]
    [InlineData("79123456789")]
    [InlineData("89123456789")]
    [InlineData("  +79123456789 ")]
    [InlineData("912.345.67.89")]
    public void Phone_numbers_are_normalized(string input)
    {
        PhoneNumbers.TryNormalize(input, out var phone).ShouldBeTrue();
        phone.ShouldBe("+79123456789");
    }

    [Fact]
    public void A_city_number_keeps_its_area_code()
    {
        PhoneNumbers.TryNormalize("8 (812) 123-45-67", out var phone).ShouldBeTrue();
        phone.ShouldBe("+78121234567");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("912345678")]        // 9 digits
    [InlineData("891234567890")]     // 12 digits
    [InlineData("+8 912 345 67 89")] // +8 is not Russia
    [InlineData("+380 44 123 4567")]
    [InlineData("+7 012 345 67 89")]
    [InlineData("8-912-ABC-67-89")]
    [InlineData("+7 912 345 67 89 доб. 1")]
    [InlineData("++79123456789")]
    public void Other_text_is_not_a_phone_number(string? input)
    {
        PhoneNumbers.TryNormalize(input, out _).ShouldBeFalse();
    }

    [Fact]
    public void Masked_phone_shows_only_the_operator_and_the_last_digits()
    {
        PhoneNumbers.Mask("+79123456789").ShouldBe("+7 912 ***-**-89");
    }

    [Theory]
    [InlineData("Ivan.Petrov@Mail.RU", "ivan.petrov@mail.ru")]
    [InlineData("  ivan+health@example.ru ", "ivan+health@example.ru")]
    public void Email_addresses_are_normalized(string input, string expected)
    {
        EmailAddresses.TryNormalize(input, out var email).ShouldBeTrue();
        email.ShouldBe(expected);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ivan")]
    [InlineData("ivan@")]
    [InlineData("@mail.ru")]
    [InlineData("ivan@mail")]
    [InlineData("ivan@@mail.ru")]
    [InlineData("ivan petrov@mail.ru")]
    [InlineData("Иван <ivan@mail.ru>")]
    [InlineData("ivan@mail..ru")]
    public void Other_text_is_not_an_email_address(string? input)
    {
        EmailAddresses.TryNormalize(input, out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("1234567890123456", true)]
    [InlineData("123456789012345", false)]
    [InlineData("12345678901234567", false)]
    [InlineData("1234 5678 9012 3456", false)]
    [InlineData("123456789012345a", false)]
    [InlineData("１２３４５６７８９０１２３４５６", false)]
    [InlineData(null, false)]
    public void Oms_policy_numbers_are_exactly_sixteen_digits(string? number, bool valid)
    {
        OmsPolicy.IsValidNumber(number).ShouldBe(valid);
    }

    [Fact]
    public void Oms_policy_numbers_as_typed_are_normalized()
    {
        OmsPolicy.TryNormalize("1234 5678-9012 3456", out var number).ShouldBeTrue();
        number.ShouldBe("1234567890123456");
        OmsPolicy.TryNormalize("1234 5678", out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("4508", "123456", true)]
    [InlineData("450", "123456", false)]
    [InlineData("45081", "123456", false)]
    [InlineData("4508", "12345", false)]
    [InlineData("4508", "1234567", false)]
    [InlineData("45 08", "123456", false)]
    [InlineData("45О8", "123456", false)] // a Cyrillic О
    [InlineData(null, "123456", false)]
    [InlineData("4508", null, false)]
    public void Passport_series_is_four_digits_and_number_six(string? series, string? number, bool valid)
    {
        Passport.IsValid(series, number).ShouldBe(valid);
    }

    [Fact]
    public void Passport_details_as_typed_are_normalized()
    {
        Passport.TryNormalize("45 08", "123 456", out var series, out var number).ShouldBeTrue();
        (series, number).ShouldBe(("4508", "123456"));
    }
}
