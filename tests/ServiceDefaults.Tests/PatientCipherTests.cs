using System.Security.Cryptography;
using Gosuslugi.Health.ServiceDefaults.Encryption;

namespace Gosuslugi.Health.ServiceDefaults.Tests;

/// <summary>AES-256-GCM with a patient's data key: what opens, and what must never open.</summary>
public sealed class PatientCipherTests
{
    private static PatientCipher NewCipher(Guid? patientId = null, byte[]? key = null) =>
        new(patientId ?? Guid.CreateVersion7(), key ?? RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void A_sealed_value_opens_with_its_key_and_shows_nothing_of_its_text()
    {
        var cipher = NewCipher();
        var sealedText = cipher.Seal("Общий анализ крови");

        cipher.OpenText(sealedText).ShouldBe("Общий анализ крови");
        sealedText.ToString().ShouldNotContain("анализ");
        sealedText.Bytes.Length.ShouldBe(1 + 12 + 16 + System.Text.Encoding.UTF8.GetByteCount("Общий анализ крови"));
        cipher.Seal("Общий анализ крови").Bytes.ShouldNotBe(sealedText.Bytes, "a fresh nonce every time");
        cipher.OpenDecimalOrNull(cipher.SealOrNull(135.25m)).ShouldBe(135.25m);
        cipher.OpenTextOrNull(cipher.SealOrNull((string?)null)).ShouldBeNull();
    }

    [Fact]
    public void Another_patient_with_the_same_key_a_changed_byte_or_another_key_do_not_open()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var cipher = NewCipher(key: key);
        var sealedText = cipher.Seal("Приём психиатра");

        Should.Throw<PatientDataUnreadableException>(() => NewCipher(key: key).OpenText(sealedText)); // bound to the patient
        Should.Throw<PatientDataUnreadableException>(() => NewCipher(cipher.PatientId).OpenText(sealedText));
        var changed = (byte[])sealedText.Bytes.Clone();
        changed[^1] ^= 1;
        Should.Throw<PatientDataUnreadableException>(() => cipher.OpenText(Sealed.FromDatabase(changed)));
        Should.Throw<PatientDataUnreadableException>(() => cipher.OpenText(Sealed.FromDatabase([9, 1, 2])));
    }

    [Fact]
    public void A_patient_without_a_key_cannot_seal_and_opens_nothing()
    {
        var patientId = Guid.CreateVersion7();
        var keyless = PatientCipher.WithoutKey(patientId);

        Should.Throw<InvalidOperationException>(() => keyless.Seal("текст"));
        Should.Throw<PatientDataUnreadableException>(() => keyless.OpenText(NewCipher(patientId).Seal("текст")));
    }

    [Fact]
    public async Task Concurrent_use_of_one_cipher_opens_every_value()
    {
        var cipher = NewCipher();
        var values = Enumerable.Range(0, 200).Select(i => cipher.Seal($"значение {i}")).ToArray();

        var opened = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => values.Select(cipher.OpenText).ToArray())));

        opened.ShouldAllBe(run => run.SequenceEqual(Enumerable.Range(0, 200).Select(i => $"значение {i}")));
    }
}
