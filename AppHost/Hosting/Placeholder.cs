namespace Gosuslugi.Health.Hosting; public static class Placeholder;
