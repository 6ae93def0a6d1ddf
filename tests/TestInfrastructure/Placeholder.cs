namespace Gosuslugi.Health.TestInfrastructure; public static class Placeholder;
