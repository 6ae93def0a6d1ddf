using Task = System.Threading.Tasks.Task;
using Gosuslugi.Health.ServiceDefaults.Http;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gosuslugi.Health.Fhir;

public static class FhirServices
{
    /// <summary>
    /// FHIR for a service: the SDK warmed up at start-up, and text the guard refuses on the FHIR routes under
    /// <paramref name="basePaths"/> ("/fhir/R4") answered with an OperationOutcome instead of a problem.
    /// </summary>
    public static TBuilder AddFhir<TBuilder>(this TBuilder builder, params string[] basePaths) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHostedService<FhirWarmUp>();
        builder.Services.AddSingleton<ITextRefusalFormat>(new FhirTextRefusal(basePaths));
        return builder;
    }
}

/// <summary>
/// The SDK builds its model of R4 on the first parse (~1 s); done at start-up, before the service takes requests, so that
/// the first organization's request does not pay for it.
/// </summary>
internal sealed class FhirWarmUp(ILogger<FhirWarmUp> logger) : IHostedService
{
    private static readonly byte[] Sample = """
        {"resourceType":"Bundle","type":"transaction","entry":[{"resource":{"resourceType":"Encounter","status":"finished",
        "class":{"code":"AMB"},"period":{"start":"2024-03"},"contained":[{"resourceType":"Condition","id":"c",
        "code":{"text":"x"},"subject":{"display":"x"}}]},"request":{"method":"POST","url":"Encounter"}}]}
        """u8.ToArray();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        var read = FhirBody.Parse<Bundle>(Sample, "Bundle");
        FhirOutcomes.SerializeToUtf8Bytes(read.Issues.ToOperationOutcome());
        logger.LogInformation("FHIR SDK warmed up in {Elapsed} ms", (int)TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>NUL characters and invalid UTF-8 in a FHIR body: a 400 OperationOutcome naming the element.</summary>
internal sealed class FhirTextRefusal(string[] basePaths) : ITextRefusalFormat
{
    public bool Handles(HttpRequest request) =>
        basePaths.Any(basePath => request.Path.StartsWithSegments(basePath, StringComparison.OrdinalIgnoreCase));

    public Task WriteAsync(HttpContext context, string field, string message) =>
        FhirOutcomes.Refused(StatusCodes.Status400BadRequest, field, message).ExecuteAsync(context);
}
