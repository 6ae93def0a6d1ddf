Console.WriteLine("Design-time host for dotnet-ef. See EfDesign.csproj.");
