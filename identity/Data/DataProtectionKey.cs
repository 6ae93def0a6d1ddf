namespace Gosuslugi.Health.Identity.Data;

/// <summary>An ASP.NET Core Data Protection key (it protects the sign-in cookie and antiforgery tokens).</summary>
public sealed class DataProtectionKey
{
    public int Id { get; init; }
    public string? FriendlyName { get; init; }
    public required string Xml { get; set; }
}
