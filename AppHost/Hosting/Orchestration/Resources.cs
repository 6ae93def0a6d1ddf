namespace Gosuslugi.Health.Hosting;

/// <summary>Generated per project by the AppHost build (Projects.Identity, ...), as in Aspire.</summary>
public interface IProjectMetadata
{
    static abstract string ProjectPath { get; }
    static abstract string TargetPath { get; }
}

public abstract class Resource(string name)
{
    public string Name { get; } = name;
    public abstract string Type { get; }
    /// <summary>Port requested in the declaration; null = the AppHost's port plan decides.</summary>
    public int? RequestedPort { get; set; }
    internal ResourceState State { get; } = new();
}

/// <summary>A resource that other resources reach through <c>ConnectionStrings__&lt;name&gt;</c>.</summary>
public interface IResourceWithConnectionString
{
    string Name { get; }
    string GetConnectionString();
}

public sealed class PostgresServerResource(string name) : Resource(name)
{
    public override string Type => "PostgreSQL";
    public List<PostgresDatabaseResource> Databases { get; } = [];
    internal PostgresServer? Server { get; set; }
}

public sealed class PostgresDatabaseResource(string name, string databaseName, PostgresServerResource parent) : Resource(name), IResourceWithConnectionString
{
    public override string Type => "PostgreSQL database";
    public string DatabaseName { get; } = databaseName;
    public PostgresServerResource Parent { get; } = parent;

    public string GetConnectionString() =>
        Parent.Server?.GetConnectionString(DatabaseName) ?? throw new InvalidOperationException($"{Parent.Name} is not started.");
}

public sealed class RabbitMQServerResource(string name) : Resource(name), IResourceWithConnectionString
{
    public override string Type => "RabbitMQ";
    internal RabbitMqServer? Server { get; set; }
    public string GetConnectionString() => Server?.ConnectionString ?? throw new InvalidOperationException($"{Name} is not started.");
}

public sealed class RedisResource(string name) : Resource(name), IResourceWithConnectionString
{
    public override string Type => "Redis";
    internal RedisServer? Server { get; set; }
    public string GetConnectionString() => Server?.ConnectionString ?? throw new InvalidOperationException($"{Name} is not started.");
}

/// <summary>A development SMTP server that keeps what it receives (see <see cref="SmtpServer"/>).</summary>
public sealed class SmtpResource(string name) : Resource(name), IResourceWithConnectionString
{
    public override string Type => "SMTP";
    internal SmtpServer? Server { get; set; }
    public string GetConnectionString() => Server?.ConnectionString ?? throw new InvalidOperationException($"{Name} is not started.");
}

public sealed class ProjectResource(string name, string projectPath, string targetPath) : Resource(name)
{
    public override string Type => "Project";
    public string ProjectPath { get; } = projectPath;
    public string TargetPath { get; } = targetPath;
    public List<Resource> References { get; } = [];
    public List<Resource> WaitsFor { get; } = [];
    public List<KeyValuePair<string, Func<string>>> Environment { get; } = [];
    public int Port { get; internal set; }
    public string Url => $"http://127.0.0.1:{Port}";
    internal ManagedProcess? Process { get; set; }
}

public interface IResourceBuilder<out T> where T : Resource
{
    T Resource { get; }
    DistributedApplicationBuilder ApplicationBuilder { get; }
}

internal sealed class ResourceBuilder<T>(T resource, DistributedApplicationBuilder builder) : IResourceBuilder<T> where T : Resource
{
    public T Resource { get; } = resource;
    public DistributedApplicationBuilder ApplicationBuilder { get; } = builder;
}

/// <summary>The declaration API, shaped like Aspire's so that moving to Aspire rewrites one file.</summary>
public static class ResourceBuilderExtensions
{
    public static IResourceBuilder<PostgresServerResource> AddPostgres(this DistributedApplicationBuilder builder, string name, int? port = null) =>
        builder.AddResource(new PostgresServerResource(name) { RequestedPort = port });

    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(this IResourceBuilder<PostgresServerResource> server, string name, string? databaseName = null)
    {
        var database = new PostgresDatabaseResource(name, databaseName ?? name, server.Resource);
        server.Resource.Databases.Add(database);
        return server.ApplicationBuilder.AddResource(database);
    }

    public static IResourceBuilder<RabbitMQServerResource> AddRabbitMQ(this DistributedApplicationBuilder builder, string name, int? port = null) =>
        builder.AddResource(new RabbitMQServerResource(name) { RequestedPort = port });

    public static IResourceBuilder<RedisResource> AddRedis(this DistributedApplicationBuilder builder, string name, int? port = null) =>
        builder.AddResource(new RedisResource(name) { RequestedPort = port });

    public static IResourceBuilder<SmtpResource> AddSmtp(this DistributedApplicationBuilder builder, string name, int? port = null) =>
        builder.AddResource(new SmtpResource(name) { RequestedPort = port });

    public static IResourceBuilder<ProjectResource> AddProject<TProject>(this DistributedApplicationBuilder builder, string name, int? port = null)
        where TProject : IProjectMetadata =>
        builder.AddResource(new ProjectResource(name, TProject.ProjectPath, TProject.TargetPath) { RequestedPort = port });

    /// <summary>
    /// A database, broker or cache becomes <c>ConnectionStrings__&lt;name&gt;</c>; a project becomes
    /// <c>services__&lt;name&gt;__http__0</c>. The referenced resource is also waited for.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithReference(this IResourceBuilder<ProjectResource> project, IResourceBuilder<Resource> source)
    {
        var target = source.Resource;
        project.Resource.References.Add(target);
        switch (target)
        {
            case IResourceWithConnectionString withConnectionString:
                project.WithEnvironment($"ConnectionStrings__{target.Name}", withConnectionString.GetConnectionString);
                project.WaitFor(target is PostgresDatabaseResource database ? database.Parent : target);
                break;
            case ProjectResource referenced:
                project.WithEnvironment($"services__{referenced.Name}__http__0", () => referenced.Url);
                break;
            default:
                throw new ArgumentException($"{target.Name} ({target.Type}) cannot be referenced.", nameof(source));
        }
        return project;
    }

    public static IResourceBuilder<ProjectResource> WithEnvironment(this IResourceBuilder<ProjectResource> project, string name, string value) =>
        project.WithEnvironment(name, () => value);

    public static IResourceBuilder<ProjectResource> WithEnvironment(this IResourceBuilder<ProjectResource> project, string name, Func<string> value)
    {
        project.Resource.Environment.RemoveAll(e => e.Key == name);
        project.Resource.Environment.Add(new(name, value));
        return project;
    }

    /// <summary>Do not start this project before <paramref name="dependency"/> is healthy.</summary>
    public static IResourceBuilder<ProjectResource> WaitFor(this IResourceBuilder<ProjectResource> project, IResourceBuilder<Resource> dependency) =>
        project.WaitFor(dependency.Resource);

    private static IResourceBuilder<ProjectResource> WaitFor(this IResourceBuilder<ProjectResource> project, Resource dependency)
    {
        if (!project.Resource.WaitsFor.Contains(dependency)) project.Resource.WaitsFor.Add(dependency);
        return project;
    }

    public static IResourceBuilder<ProjectResource> WithHttpEndpoint(this IResourceBuilder<ProjectResource> project, int port)
    {
        project.Resource.RequestedPort = port;
        return project;
    }
}
