namespace Gosuslugi.Health.Contracts; public static class Placeholder;
