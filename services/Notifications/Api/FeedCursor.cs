using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Gosuslugi.Health.Notifications.Api;

/// <summary>
/// The position after the last item of a page (keyset paging): new notifications arriving while the
/// patient scrolls neither shift nor repeat items, as offsets would.
/// </summary>
public readonly record struct FeedCursor(DateTimeOffset CreatedAt, Guid Id)
{
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(
            $"{CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{Id:N}"));

    public static bool TryDecode(string value, out FeedCursor cursor)
    {
        cursor = default;
        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(value));
            var parts = text.Split(':');
            if (parts.Length != 2
                || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks
                || !Guid.TryParseExact(parts[1], "N", out var id))
            {
                return false;
            }

            cursor = new FeedCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
