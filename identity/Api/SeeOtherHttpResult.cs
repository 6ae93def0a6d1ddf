namespace Gosuslugi.Health.Identity.Api;

/// <summary>
/// 303 See Other. After the login form is posted, 303 makes the browser follow with a GET, so the
/// credentials are never re-posted to the client's redirect URI, as a 307 would (RFC 9700 §4.12).
/// </summary>
public sealed class SeeOtherHttpResult(string location) : IResult
{
    public string Location { get; } = location;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        httpContext.Response.Headers.Location = Location;
        return Task.CompletedTask;
    }
}
