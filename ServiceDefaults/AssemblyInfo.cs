using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Gosuslugi.Health.ServiceDefaults.Tests")]
