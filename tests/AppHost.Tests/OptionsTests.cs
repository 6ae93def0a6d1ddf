namespace Gosuslugi.Health.AppHost.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void A_port_base_places_every_resource_and_the_rest_goes_to_aspire()
    {
        var options = AppHostOptions.Parse(["--port-base", "9500", "--data-dir", "/tmp/x", "--fresh", "--startup-timeout=60", "--something", "else"]);

        options.DataDirectory.ShouldBe("/tmp/x");
        options.Fresh.ShouldBeTrue();
        options.StartupTimeout.ShouldBe(TimeSpan.FromSeconds(60));
        options.Port(0, 8080, options.GatewayPort).ShouldBe(9500);
        options.Port(1, 18888, options.DashboardPort).ShouldBe(9501);
        options.Port(2, 55432).ShouldBe(9502);
        options.AspireArgs.ShouldBe(["--something", "else"]);
    }

    [Fact]
    public void Every_trace_is_recorded_unless_a_ratio_asks_for_production_telemetry()
    {
        AppHostOptions.Parse([]).TraceRatio.ShouldBe(1);
        AppHostOptions.Parse(["--trace-ratio", "0.1"]).TraceRatio.ShouldBe(0.1);
        AppHostOptions.Parse(["--trace-ratio=7"]).TraceRatio.ShouldBe(1);
    }

    [Fact]
    public void Without_options_the_documented_defaults_apply_and_explicit_ports_win()
    {
        var defaults = AppHostOptions.Parse([]);
        defaults.Port(0, 8080, defaults.GatewayPort).ShouldBe(8080);
        defaults.Port(1, 18888, defaults.DashboardPort).ShouldBe(18888);
        defaults.DataDirectory.ShouldEndWith("/.data");

        var explicitPorts = AppHostOptions.Parse(["--port-base", "9500", "--gateway-port", "9999"]);
        explicitPorts.Port(0, 8080, explicitPorts.GatewayPort).ShouldBe(9999);

        var random = AppHostOptions.Parse(["--random-ports"]);
        random.Port(2, 55432).ShouldNotBe(55432);
    }
}
