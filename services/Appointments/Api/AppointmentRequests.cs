using Gosuslugi.Health.ServiceDefaults;

namespace Gosuslugi.Health.Appointments.Api;

public sealed record BookAppointmentRequest(Guid? SlotId) : IJsonRequest<BookAppointmentRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<BookAppointmentRequest>.FormatMessages => AppointmentRequests.FormatMessages;
}

public sealed record MoveAppointmentRequest(Guid? SlotId) : IJsonRequest<MoveAppointmentRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<MoveAppointmentRequest>.FormatMessages => AppointmentRequests.FormatMessages;
}

public sealed record CancelAppointmentRequest(string? Reason) : IJsonRequest<CancelAppointmentRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<CancelAppointmentRequest>.FormatMessages => AppointmentRequests.FormatMessages;
}

public sealed record OrganizationCancelAppointmentRequest(string? Reason) : IJsonRequest<OrganizationCancelAppointmentRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<OrganizationCancelAppointmentRequest>.FormatMessages =>
        AppointmentRequests.FormatMessages;
}

public sealed record OrganizationMoveAppointmentRequest(Guid? SlotId, string? Reason) : IJsonRequest<OrganizationMoveAppointmentRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<OrganizationMoveAppointmentRequest>.FormatMessages =>
        AppointmentRequests.FormatMessages;
}

/// <summary>The bodies of booking, moving and cancelling, the patient's and the organization's.</summary>
internal static class AppointmentRequests
{
    internal static readonly Dictionary<string, string> FormatMessages = new()
    {
        ["slotId"] = "Идентификатор времени приёма должен быть GUID.",
        ["reason"] = "Причина должна быть строкой.",
    };
}
