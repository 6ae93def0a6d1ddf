using System.Net;
using System.Net.Sockets;

namespace Gosuslugi.Health.TestInfrastructure.Servers;

public static class Ports
{
    private static readonly HashSet<int> Handed = [];

    /// <summary>A loopback port that is free now and has not been handed out by this process before.</summary>
    public static int GetFree()
    {
        lock (Handed)
        {
            for (var attempt = 0; ; attempt++)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
                if (Handed.Add(port) || attempt > 50) return port;
            }
        }
    }

    public static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
