namespace Gosuslugi.Health.TestInfrastructure;

/// <summary>Where the repository's files are, for tests that run its scripts or read its sources.</summary>
public static class RepositoryFolders
{
    /// <summary>The folder of Gosuslugi.Health.sln, found upwards from the test assembly.</summary>
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gosuslugi.Health.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException("Gosuslugi.Health.sln not found above " + AppContext.BaseDirectory);
    }
}
