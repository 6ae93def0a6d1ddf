[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Gosuslugi.Health.AppHost.Tests")]
