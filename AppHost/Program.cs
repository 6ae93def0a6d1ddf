Console.WriteLine("AppHost placeholder");
