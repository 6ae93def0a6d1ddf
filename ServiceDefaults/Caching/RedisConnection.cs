using System.Buffers.Text;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Gosuslugi.Health.ServiceDefaults.Caching;

internal enum RedisReplyKind { SimpleString, Error, Integer, BulkString, Array }

/// <summary>One RESP2 reply.</summary>
internal sealed class RedisReply
{
    public RedisReplyKind Kind { get; private init; }
    public string? Text { get; private init; }
    public long Integer { get; private init; }
    public byte[]? Bulk { get; private init; }
    public RedisReply[]? Items { get; private init; }

    public bool IsNull => Kind switch
    {
        RedisReplyKind.BulkString => Bulk is null,
        RedisReplyKind.Array => Items is null,
        _ => false,
    };

    public static RedisReply Simple(string text) => new() { Kind = RedisReplyKind.SimpleString, Text = text };
    public static RedisReply Error(string text) => new() { Kind = RedisReplyKind.Error, Text = text };
    public static RedisReply Int(long value) => new() { Kind = RedisReplyKind.Integer, Integer = value };
    public static RedisReply BulkString(byte[]? value) => new() { Kind = RedisReplyKind.BulkString, Bulk = value };
    public static RedisReply Array(RedisReply[]? items) => new() { Kind = RedisReplyKind.Array, Items = items };

    /// <summary>Throws the server's error, if this is one.</summary>
    public RedisReply ThrowIfError() =>
        Kind == RedisReplyKind.Error ? throw new RedisServerException(Text ?? "ERR") : this;

    public long AsInteger() => ThrowIfError().Kind switch
    {
        RedisReplyKind.Integer => Integer,
        RedisReplyKind.BulkString when Bulk is not null => long.Parse(Encoding.UTF8.GetString(Bulk), CultureInfo.InvariantCulture),
        _ => throw new RedisProtocolException($"Expected an integer reply, got {Kind}."),
    };

    public string? AsString() => ThrowIfError().Kind switch
    {
        RedisReplyKind.BulkString => Bulk is null ? null : Encoding.UTF8.GetString(Bulk),
        RedisReplyKind.SimpleString => Text,
        RedisReplyKind.Integer => Integer.ToString(CultureInfo.InvariantCulture),
        _ => throw new RedisProtocolException($"Expected a string reply, got {Kind}."),
    };
}

public sealed class RedisServerException(string message) : Exception(message);

public sealed class RedisProtocolException(string message) : Exception(message);

/// <summary>One TCP connection to Redis speaking RESP2, used by one caller at a time (see <see cref="RedisConnectionPool"/>).</summary>
internal sealed class RedisConnection : IDisposable
{
    private static readonly byte[] CrLf = "\r\n"u8.ToArray();
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    private RedisConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<RedisConnection> ConnectAsync(RedisOptions options, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        RedisConnection? connection = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ConnectTimeout);
            await socket.ConnectAsync(options.Host, options.Port, timeout.Token);
            connection = new RedisConnection(socket);

            var handshake = new List<byte[][]>();
            if (options.Password is not null)
            {
                handshake.Add(options.User is null
                    ? Command("AUTH", options.Password)
                    : Command("AUTH", options.User, options.Password));
            }
            if (options.Database != 0) handshake.Add(Command("SELECT", options.Database.ToString(CultureInfo.InvariantCulture)));
            if (handshake.Count > 0)
            {
                foreach (var reply in await connection.ExecuteAsync(handshake, timeout.Token)) reply.ThrowIfError();
            }
            return connection;
        }
        catch
        {
            if (connection is not null) connection.Dispose();
            else socket.Dispose();
            throw;
        }
    }

    public static byte[][] Command(params object[] parts)
    {
        var result = new byte[parts.Length][];
        for (var i = 0; i < parts.Length; i++)
        {
            result[i] = parts[i] switch
            {
                byte[] bytes => bytes,
                string s => Encoding.UTF8.GetBytes(s),
                long l => Encoding.ASCII.GetBytes(l.ToString(CultureInfo.InvariantCulture)),
                int n => Encoding.ASCII.GetBytes(n.ToString(CultureInfo.InvariantCulture)),
                _ => throw new ArgumentException($"Unsupported argument type {parts[i].GetType()}"),
            };
        }
        return result;
    }

    /// <summary>Sends the commands in one write (pipelined) and reads one reply per command.</summary>
    public async Task<RedisReply[]> ExecuteAsync(IReadOnlyList<byte[][]> commands, CancellationToken cancellationToken)
    {
        ReceivedAny = false;
        await _stream.WriteAsync(Encode(commands), cancellationToken);
        var replies = new RedisReply[commands.Count];
        for (var i = 0; i < replies.Length; i++) replies[i] = await ReadReplyAsync(cancellationToken);
        return replies;
    }

    /// <summary>True once any byte of a reply arrived: from then on, retrying the command could apply it twice.</summary>
    public bool ReceivedAny { get; private set; }

    private static byte[] Encode(IReadOnlyList<byte[][]> commands)
    {
        using var ms = new MemoryStream();
        foreach (var command in commands)
        {
            WriteHeader(ms, '*', command.Length);
            foreach (var arg in command)
            {
                WriteHeader(ms, '$', arg.Length);
                ms.Write(arg);
                ms.Write(CrLf);
            }
        }
        return ms.ToArray();
    }

    private static void WriteHeader(MemoryStream ms, char prefix, int value)
    {
        Span<byte> digits = stackalloc byte[16];
        Utf8Formatter.TryFormat(value, digits, out var written);
        ms.WriteByte((byte)prefix);
        ms.Write(digits[..written]);
        ms.Write(CrLf);
    }

    private async Task<RedisReply> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(cancellationToken);
        if (line.Length == 0) throw new RedisProtocolException("Empty reply line.");
        var payload = line[1..];
        switch (line[0])
        {
            case '+': return RedisReply.Simple(payload);
            case '-': return RedisReply.Error(payload);
            case ':': return RedisReply.Int(long.Parse(payload, CultureInfo.InvariantCulture));
            case '$':
            {
                var length = int.Parse(payload, CultureInfo.InvariantCulture);
                if (length < 0) return RedisReply.BulkString(null);
                var data = new byte[length];
                await ReadExactAsync(data, cancellationToken);
                var crlf = new byte[2];
                await ReadExactAsync(crlf, cancellationToken);
                return RedisReply.BulkString(data);
            }
            case '*':
            {
                var count = int.Parse(payload, CultureInfo.InvariantCulture);
                if (count < 0) return RedisReply.Array(null);
                var items = new RedisReply[count];
                for (var i = 0; i < count; i++) items[i] = await ReadReplyAsync(cancellationToken);
                return RedisReply.Array(items);
            }
            default:
                throw new RedisProtocolException($"Unexpected reply type '{line[0]}'.");
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var sb = new StringBuilder();
        while (true)
        {
            for (var i = _start; i < _end; i++)
            {
                if (_buffer[i] == '\n')
                {
                    sb.Append(Encoding.UTF8.GetString(_buffer, _start, i - _start));
                    _start = i + 1;
                    if (sb.Length > 0 && sb[^1] == '\r') sb.Length--;
                    return sb.ToString();
                }
            }
            sb.Append(Encoding.UTF8.GetString(_buffer, _start, _end - _start));
            _start = _end;
            await FillAsync(cancellationToken);
        }
    }

    private async Task ReadExactAsync(byte[] target, CancellationToken cancellationToken)
    {
        var offset = 0;
        while (offset < target.Length)
        {
            if (_start == _end) await FillAsync(cancellationToken);
            var n = Math.Min(target.Length - offset, _end - _start);
            Buffer.BlockCopy(_buffer, _start, target, offset, n);
            _start += n;
            offset += n;
        }
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await _stream.ReadAsync(_buffer, cancellationToken);
        if (_end == 0) throw new IOException("Redis closed the connection.");
        ReceivedAny = true;
    }

    public void Dispose()
    {
        _stream.Dispose();
        _socket.Dispose();
    }
}
