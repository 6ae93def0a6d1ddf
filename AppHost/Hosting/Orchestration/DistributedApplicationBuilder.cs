namespace Gosuslugi.Health.Hosting;

public static class DistributedApplication
{
    public static DistributedApplicationBuilder CreateBuilder(string[] args) => new(AppHostOptions.Parse(args));
}

public sealed class DistributedApplicationBuilder
{
    private readonly List<Resource> _resources = [];

    internal DistributedApplicationBuilder(AppHostOptions options) => Options = options;

    public AppHostOptions Options { get; }

    /// <summary>The local data folder (default &lt;repo&gt;/.data): server data, secrets, demo accounts.</summary>
    public string DataDirectory => Options.DataDirectory;

    public IReadOnlyList<Resource> Resources => _resources;

    public IResourceBuilder<T> AddResource<T>(T resource) where T : Resource
    {
        if (_resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' is already declared.");
        }
        _resources.Add(resource);
        return new ResourceBuilder<T>(resource, this);
    }

    /// <summary>
    /// Tokens are issued for the public entry (the gateway's URL) and their keys are fetched from
    /// identity's internal URL: every project gets Identity__Issuer and Identity__Url.
    /// </summary>
    public DistributedApplicationBuilder WithTokenIssuer(IResourceBuilder<ProjectResource> identity, IResourceBuilder<ProjectResource> publicEntry)
    {
        foreach (var project in _resources.OfType<ProjectResource>())
        {
            var builder = new ResourceBuilder<ProjectResource>(project, this);
            builder.WithEnvironment("Identity__Issuer", () => publicEntry.Resource.Url);
            builder.WithEnvironment("Identity__Url", () => identity.Resource.Url);
        }
        return this;
    }

    public DistributedApplicationHost Build() => new(this);
}
