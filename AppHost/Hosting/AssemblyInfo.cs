[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Gosuslugi.Health.TestInfrastructure")]
