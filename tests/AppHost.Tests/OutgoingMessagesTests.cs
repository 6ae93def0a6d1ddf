using System.Net.Mail;
using System.Text;
using Gosuslugi.Health.DevMailbox;
using Gosuslugi.Health.TestInfrastructure.Servers;

namespace Gosuslugi.Health.AppHost.Tests;

/// <summary>What the development mailbox shows: e-mail received by the local SMTP server and the SMS/push lines.</summary>
public sealed class OutgoingMessagesTests
{
    [Fact]
    public async Task Mail_sent_to_the_local_smtp_server_and_recorded_sms_are_shown_decoded()
    {
        var mailbox = Directory.CreateTempSubdirectory("outgoing-").FullName;
        try
        {
            await using (var smtp = await SmtpServer.StartAsync(new SmtpServerOptions { MailDirectory = Path.Combine(mailbox, "email") }))
            {
                using var client = new SmtpClient("127.0.0.1", smtp.Port);
                using var mail = new MailMessage("noreply@gosuslugi-health.example", "patient@example.test",
                    "Моё здоровье: новое уведомление", "Запись к врачу подтверждена.")
                {
                    SubjectEncoding = Encoding.UTF8,
                    BodyEncoding = Encoding.UTF8,
                };
                await client.SendMailAsync(mail);
            }

            await File.WriteAllTextAsync(Path.Combine(mailbox, "notifications.jsonl"),
                """{"at":"2026-12-04T06:00:00+00:00","channel":"sms","destination":"+79000000000","subject":null,"text":"Код 1234"}""" + "\n");

            var messages = OutgoingMessages.Newest(mailbox, 10);

            var email = messages.Single(m => m.Channel == "email");
            email.Destination.ShouldBe("patient@example.test");
            email.Subject.ShouldBe("Моё здоровье: новое уведомление");
            email.Text.Trim().ShouldBe("Запись к врачу подтверждена.");
            messages.Single(m => m.Channel == "sms").Text.ShouldBe("Код 1234");
        }
        finally
        {
            Directory.Delete(mailbox, recursive: true);
        }
    }
}
