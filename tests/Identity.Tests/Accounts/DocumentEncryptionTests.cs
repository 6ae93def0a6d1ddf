using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gosuslugi.Health.Contracts;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Accounts;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Security;
using Gosuslugi.Health.ServiceDefaults.Hsm;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Gosuslugi.Health.Identity.Tests.Accounts;

/// <summary>
/// Passports and OMS policies are stored sealed with the person's data key (AES-256-GCM, the key wrapped in the HSM) and
/// the policy number only as a blind index (HMAC in the HSM): the users table holds none of them readable, the profile
/// reads them back, one policy still belongs to one account, a key that does not fit answers 503 without the
/// documents, and a database from before is sealed in place.
/// </summary>
public sealed class DocumentEncryptionTests(IdentityServiceFixture fixture) : AccountTest(fixture)
{
    private const string Documents = Profile + "/documents";
    private const string Insurer = "АО «Страховая компания «Капитал МС»";

    private static string NewOmsNumber() => "7" + RandomNumberGenerator.GetInt32(0, 1_000_000_000).ToString("D9") + RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");

    private static string NewPassportNumber() => RandomNumberGenerator.GetInt32(100_000, 1_000_000).ToString("D6");

    private static object DocumentsBody(string passportNumber, string omsNumber) => new
    {
        snils = Snils.Generate(),
        passport = new { series = "4517", number = passportNumber, issuedOn = "2013-07-09" },
        omsPolicy = new { number = omsNumber, insurer = Insurer, validFrom = "2016-03-01", validTo = "2036-02-28" },
    };

    [Fact]
    public async Task The_users_table_holds_no_readable_passport_or_policy_and_the_profile_reads_them_back()
    {
        var person = await RegisterAsync();
        var (passportNumber, omsNumber) = (NewPassportNumber(), NewOmsNumber());
        using var http = await ClientAsync(person.UserId);
        (await http.PutAsJsonAsync(Documents, DocumentsBody(passportNumber, omsNumber))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var stored = await RowsAsJsonAsync(Fixture.ConnectionString, person.UserId);
        SealedStorage.ShouldHoldNoReadable(stored, [passportNumber, omsNumber, "2013-07-09", "2016-03-01", "2036-02-28", Insurer]);
        stored.ShouldContain(row => row.Contains("\"wrapped_key\""), "the person has a data key, stored wrapped");
        var index = await Fixture.WithDbAsync(db => db.Users.Where(u => u.Id == person.UserId).Select(u => u.OmsPolicyNumberIndex).SingleAsync());
        index.ShouldNotBeNull().Length.ShouldBe(32);
        index.ShouldNotBe(SHA256.HashData(Encoding.UTF8.GetBytes(omsNumber)), "a keyless hash of 16 digits could be reversed by trying them all");

        var profile = await JsonAsync(await http.GetAsync(Profile), HttpStatusCode.OK);
        profile.GetProperty("passport").GetProperty("series").GetString().ShouldBe("4517");
        profile.GetProperty("passport").GetProperty("number").GetString().ShouldBe(passportNumber);
        profile.GetProperty("passport").GetProperty("issuedOn").GetString().ShouldBe("2013-07-09");
        var policy = profile.GetProperty("omsPolicy");
        (policy.GetProperty("number").GetString(), policy.GetProperty("insurer").GetString()).ShouldBe((omsNumber, Insurer));
        (policy.GetProperty("validFrom").GetString(), policy.GetProperty("validTo").GetString()).ShouldBe(("2016-03-01", "2036-02-28"));
        profile.GetProperty("level").GetString().ShouldBe("standard");
        (await OutboxAsync<OmsPolicyChanged>(e => e.PatientId == person.UserId)).ShouldHaveSingleItem()
            .ValidTo.ShouldBe(new DateOnly(2036, 2, 28));

        // Every use of the HSM keys is in the security log: the blind index key's HMACs as well.
        await Fixture.Factory.Services.GetServices<IHostedService>().OfType<HsmKeyUsageLog<IdentityDb>>().Single().FlushAsync(CancellationToken.None);
        (await OutboxAsync<SecurityEventRecorded>(e => e.Kind == SecurityEventKinds.KeyUsed && e.Details["key"] == DocumentBlindIndex.Key))
            .ShouldContain(e => e.Details["operation"] == Pkcs11Hsm.Mac);
    }

    [Fact]
    public async Task One_policy_stays_with_one_account_by_its_blind_index()
    {
        var owner = await RegisterAsync();
        var omsNumber = NewOmsNumber();
        using (var ownerHttp = await ClientAsync(owner.UserId))
            (await ownerHttp.PutAsJsonAsync(Documents, DocumentsBody(NewPassportNumber(), omsNumber))).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Typed with spaces, as on the card: the same number after normalising.
        var other = await RegisterAsync();
        using var otherHttp = await ClientAsync(other.UserId);
        var spaced = string.Join(' ', omsNumber.Chunk(4).Select(c => new string(c)));
        using (var response = await otherHttp.PutAsJsonAsync(Documents, DocumentsBody(NewPassportNumber(), spaced)))
            (await ValidationErrorsAsync(response)).TryGetProperty("omsPolicy.number", out _).ShouldBeTrue();
        (await DocumentsAsync(other.UserId)).ShouldBe(OpenedDocuments.None);

        // Two accounts racing for one new policy: the check or the unique index refuses one of them (400 or 409).
        var (first, second) = (await RegisterAsync(), await RegisterAsync());
        using var firstHttp = await ClientAsync(first.UserId);
        using var secondHttp = await ClientAsync(second.UserId);
        var contested = NewOmsNumber();
        var answers = await Task.WhenAll(
            firstHttp.PutAsJsonAsync(Documents, DocumentsBody(NewPassportNumber(), contested)),
            secondHttp.PutAsJsonAsync(Documents, DocumentsBody(NewPassportNumber(), contested)));
        answers.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        answers.Single(r => r.StatusCode != HttpStatusCode.OK).StatusCode.ShouldBeOneOf(HttpStatusCode.BadRequest, HttpStatusCode.Conflict);

        // The database itself refuses a second row with the same index.
        var refused = await Should.ThrowAsync<PostgresException>(() => Fixture.WithDbAsync(db => db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE users SET oms_policy_number_index = (SELECT oms_policy_number_index FROM users WHERE id = {owner.UserId}) WHERE id = {other.UserId}")));
        refused.SqlState.ShouldBe(PostgresErrorCodes.UniqueViolation);
    }

    [Fact]
    public async Task A_missing_or_wrong_data_key_answers_503_without_the_documents()
    {
        var missing = await RegisterAsync();
        var wrong = await RegisterAsync();
        var numbers = new Dictionary<Guid, string>();
        foreach (var person in new[] { missing, wrong })
        {
            using var http = await ClientAsync(person.UserId);
            numbers[person.UserId] = NewOmsNumber();
            (await http.PutAsJsonAsync(Documents, DocumentsBody(NewPassportNumber(), numbers[person.UserId]))).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        await Fixture.WithDbAsync(async db =>
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM patient_data_keys WHERE patient_id = {missing.UserId}");
            // Another person's wrapped key: bound to that person, it does not unwrap for this one.
            return await db.Database.ExecuteSqlInterpolatedAsync(
                $"UPDATE patient_data_keys SET wrapped_key = (SELECT wrapped_key FROM patient_data_keys WHERE patient_id = {Demo.Patient.UserId}) WHERE patient_id = {wrong.UserId}");
        });

        // A second instance: the first still holds both keys in memory, as it may for a few minutes.
        var folder = Path.Combine(Path.GetTempPath(), "identity-tests-" + Guid.NewGuid().ToString("N"));
        await using var second = new IdentityFactory(IdentityServiceFixture.Settings(Fixture.ConnectionString, Fixture.RabbitMq, Path.Combine(folder, "demo.json")));
        foreach (var person in new[] { missing, wrong })
        {
            using var client = second.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(IdentityServiceFixture.Issuer) });
            using (var own = await ClientAsync(person.UserId)) client.DefaultRequestHeaders.Authorization = own.DefaultRequestHeaders.Authorization;

            using (var read = await client.GetAsync(Profile))
                await SealedStorage.ShouldBeUnreadableProblemAsync(read, numbers[person.UserId]);
            // A change is compared with what is stored: it is refused too, and nothing is overwritten.
            using (var change = await client.PutAsJsonAsync(Documents, new { omsPolicy = new { number = NewOmsNumber(), insurer = Insurer, validFrom = "2020-01-01" } }))
                await SealedStorage.ShouldBeUnreadableProblemAsync(change, numbers[person.UserId]);
        }
        try { Directory.Delete(folder, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    [Fact]
    public async Task A_database_with_documents_in_clear_is_sealed_in_place_and_reads_the_same()
    {
        var (withBoth, withPolicy, without) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        var (passportNumber, omsNumber, secondOmsNumber) = (NewPassportNumber(), NewOmsNumber(), NewOmsNumber());
        var cs = await OldDatabase.CreateAsync(new IdentityDbFactory(), "ElectronicSignature", $"""
            INSERT INTO users (id, user_name, normalized_user_name, family_name, given_name, level, created_at, access_failed_count,
                consecutive_lockouts, email_confirmed, is_managed_by_guardian, lockout_enabled, phone_number_confirmed, two_factor_enabled,
                snils, passport_series, passport_number, passport_issued_on, oms_policy_number, oms_insurer, oms_valid_from, oms_valid_to)
            VALUES
                ('{withBoth}', 'anna', 'ANNA', 'Смирнова', 'Анна', 'Standard', now(), 0, 0, FALSE, FALSE, TRUE, TRUE, FALSE,
                 '11223344595', '4517', '{passportNumber}', '2013-07-09', '{omsNumber}', '{Insurer}', '2016-03-01', '2036-02-28'),
                ('{withPolicy}', 'boris', 'BORIS', 'Петров', 'Борис', 'Simplified', now(), 0, 0, FALSE, FALSE, TRUE, TRUE, FALSE,
                 NULL, NULL, NULL, NULL, '{secondOmsNumber}', '{Insurer}', '2016-03-01', NULL),
                ('{without}', 'vera', 'VERA', 'Иванова', 'Вера', 'Simplified', now(), 0, 0, FALSE, FALSE, TRUE, TRUE, FALSE,
                 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
            """);

        var folder = Path.Combine(Path.GetTempPath(), "identity-documents-migration-" + Guid.NewGuid().ToString("N"));
        var settings = IdentityServiceFixture.Settings(cs, await (await TestServers.GetAsync()).RabbitMq.CreateVirtualHostAsync(), Path.Combine(folder, "demo.json"));
        settings["Identity:SeedDemoData"] = "false";
        await using (var identity = new IdentityFactory(settings))
        {
            _ = identity.Server; // start: the migrations, and the sealing step between them

            var stored = new List<string>();
            foreach (var id in new[] { withBoth, withPolicy, without }) stored.AddRange(await RowsAsJsonAsync(cs, id));
            SealedStorage.ShouldHoldNoReadable(stored, [passportNumber, omsNumber, secondOmsNumber, "2013-07-09", "2016-03-01", "2036-02-28", Insurer]);
            stored.ShouldAllBe(row => !row.Contains("_clear\""), "the clear columns are gone");

            await using var scope = identity.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            var personDocuments = scope.ServiceProvider.GetRequiredService<PersonDocuments>();
            async Task<OpenedDocuments> OpenAsync(Guid id) => await personDocuments.OpenAsync(await db.Users.AsNoTracking().SingleAsync(u => u.Id == id), default);
            (await OpenAsync(withBoth)).ShouldBe(new OpenedDocuments(new PassportDetails("4517", passportNumber, new DateOnly(2013, 7, 9)),
                new OmsPolicyDetails(omsNumber, Insurer, new DateOnly(2016, 3, 1), new DateOnly(2036, 2, 28))));
            (await OpenAsync(withPolicy)).ShouldBe(new OpenedDocuments(null, new OmsPolicyDetails(secondOmsNumber, Insurer, new DateOnly(2016, 3, 1), null)));
            (await OpenAsync(without)).ShouldBe(OpenedDocuments.None);
            (await db.PatientDataKeys.Select(k => k.PatientId).ToListAsync()).ShouldBe([withBoth, withPolicy], ignoreOrder: true);

            // The blind index written by the step finds the account: a second account cannot take its policy.
            var index = await personDocuments.OmsPolicyNumberIndexAsync(omsNumber, default);
            (await db.Users.Where(u => u.OmsPolicyNumberIndex == index).Select(u => u.Id).SingleAsync()).ShouldBe(withBoth);

            // A token that lost its blind index key does not get a new one while indexes made with the old one exist:
            // duplicates would then go unnoticed. Lookups answer "HSM unavailable" (503) instead.
            identity.Services.GetRequiredService<Pkcs11Hsm>().DestroyKey(DocumentBlindIndex.Key);
            await using var restarted = new IdentityFactory(settings);
            _ = restarted.Server;
            await using var restartedScope = restarted.Services.CreateAsyncScope();
            await Should.ThrowAsync<HsmUnavailableException>(() =>
                restartedScope.ServiceProvider.GetRequiredService<PersonDocuments>().OmsPolicyNumberIndexAsync(NewOmsNumber(), default).AsTask());
            restarted.Services.GetRequiredService<Pkcs11Hsm>().HasSecretKey(DocumentBlindIndex.Key).ShouldBeFalse();
        }
        try { Directory.Delete(folder, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    /// <summary>The person's users row and data key row, as PostgreSQL renders them (bytea as hex).</summary>
    private static async Task<List<string>> RowsAsJsonAsync(string connectionString, Guid userId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var rows = new List<string>();
        foreach (var (table, column) in new[] { ("users", "id"), ("patient_data_keys", "patient_id") })
        {
            await using var command = new NpgsqlCommand($"SELECT row_to_json(t)::text FROM {table} t WHERE {column} = @id", connection);
            command.Parameters.AddWithValue("id", userId);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        }
        return rows;
    }
}
