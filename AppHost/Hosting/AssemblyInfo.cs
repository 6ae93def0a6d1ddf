[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Gosuslugi.Health.TestInfrastructure")]
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Gosuslugi.Health.AppHost.Tests")]
