using Gosuslugi.Health.Disputes.Data;
using Gosuslugi.Health.Disputes.Overdue;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gosuslugi.Health.Disputes;

public static class DisputesExtensions
{
    public const string DatabaseName = "disputesdb";

    public static TBuilder AddDisputes<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddServiceDatabase<DisputesDb>(DatabaseName);
        builder.AddServiceMessaging<DisputesDb>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<OverdueSweepOptions>().BindConfiguration("Disputes:OverdueSweep");
        builder.Services.AddHostedService<OverdueDataRequestsSweeper>();
        return builder;
    }
}
