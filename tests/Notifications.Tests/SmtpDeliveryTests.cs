using System.Text;
using Gosuslugi.Health.TestInfrastructure.Servers;
using Gosuslugi.Health.Notifications.Channels;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Gosuslugi.Health.Notifications.Tests;

/// <summary>The service sending e-mail to a real SMTP server (aiosmtpd), started before the service.</summary>
public sealed class SmtpApp : IAsyncLifetime
{
    private SmtpServer? _smtp;
    private SmtpService? _service;

    public SmtpServer Smtp => _smtp ?? throw new InvalidOperationException("Not started.");

    public ServiceUnderTest<Program, NotificationsDb> Service => _service ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _smtp = await SmtpServer.StartAsync();
        _service = new SmtpService(_smtp.ConnectionString);
        await _service.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (_service is not null) await _service.DisposeAsync();
        if (_smtp is not null) await _smtp.DisposeAsync();
    }

    private sealed class SmtpService(string smtp) : ServiceUnderTest<Program, NotificationsDb>("notifications")
    {
        protected override void ConfigureWebHost(IWebHostBuilder web)
        {
            web.UseSetting("ConnectionStrings:smtp", smtp);
            web.UseSetting("Notifications:Dispatcher:Interval", "00:00:00.100");
        }
    }
}

public sealed class SmtpDeliveryTests(SmtpApp app) : IClassFixture<SmtpApp>
{
    [Fact]
    public async Task An_email_delivery_reaches_the_smtp_server_with_the_neutral_subject_and_private_text()
    {
        var id = Guid.CreateVersion7();
        var address = $"{id}@example.org";
        var delivery = ChannelsTests.NewDelivery(id, Domain.Channels.Email, address, DateTimeOffset.UtcNow);
        await app.Service.WithDbAsync(async db =>
        {
            db.Deliveries.Add(delivery);
            await db.SaveChangesAsync();
        });

        var deadline = DateTime.UtcNow.AddSeconds(20);
        Delivery saved;
        do
        {
            await Task.Delay(100);
            saved = await app.Service.WithDbAsync(db => db.Deliveries.AsNoTracking().SingleAsync(d => d.Id == id));
        }
        while (saved.Status != DeliveryStatuses.Sent && DateTime.UtcNow < deadline);
        Assert.True(saved.Status == DeliveryStatuses.Sent, $"{saved.Status}, attempts {saved.Attempts}: {saved.LastError}");

        var mails = app.Smtp.ReadMessages().Select(m => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(m))))
            .Where(m => m.To.Mailboxes.Any(b => b.Address == address)).ToList();
        var mail = Assert.Single(mails);
        Assert.Equal(DeliveryPlanner.Subject, mail.Subject);
        Assert.Equal("noreply@gosuslugi-health.example", mail.From.Mailboxes.Single().Address);
        Assert.Equal(delivery.Text, mail.TextBody?.Trim());
    }
}
