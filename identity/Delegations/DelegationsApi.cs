using System.Security.Claims;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Identity.Delegations;

public sealed record DelegationServices(
    IdentityDb Db,
    UserManager<HealthUser> Users,
    SecurityEvents Events,
    TokenDenyList DenyList,
    IOptions<DelegationOptions> Options,
    TimeProvider Time,
    ILogger<DelegationServices> Logger);

/// <summary>
/// Acting for someone else: a guardian links a child (birth certificate), a principal lets a representative act for
/// them (power of attorney); both sides see the delegations and either can end them. The acting itself is the token
/// exchange (<see cref="Tokens.TokenExchangeGrant"/>).
/// </summary>
public static class DelegationsApi
{
    public const string Route = "/api/v1/account";

    private const string NotFoundDetail = "Доверенность не найдена.";

    public static RouteGroupBuilder MapDelegationsApi(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup(Route).RequireAuthorization(AccountCaller.PersonPolicy).WithTags("Delegations");
        account.MapPost("/children", LinkChildAsync);
        account.MapPost("/delegations", GrantAsync);
        account.MapGet("/delegations", ListAsync);
        account.MapGet("/delegations/{id:guid}", GetAsync);
        account.MapDelete("/delegations/{id:guid}", RevokeAsync);
        return account;
    }

    /// <summary>
    /// A guardian links a child: the child's account is found by SNILS or created (patient, managed by the guardian,
    /// nobody signs in to it), and a guardian delegation with scope manage runs until the child's 18th birthday.
    /// </summary>
    /// <remarks>
    /// The child's account gets level standard, not confirmed: its SNILS and birth certificate are checked for form
    /// only, and no operator has seen the child. Nothing needs more, because the child's record is reached only
    /// through the delegation, by a token that carries the guardian's confirmed identity (acc_level of the actor).
    /// </remarks>
    public static async Task<Results<Created<ChildLinkedResponse>, ValidationProblem, ProblemHttpResult>> LinkChildAsync(
        Json<LinkChildRequest> body, ClaimsPrincipal token, [AsParameters] DelegationServices s, CancellationToken ct)
    {
        if (await AdultConfirmedCallerAsync(token, s) is not { } guardian) return await RefusalAsync(token, s);

        var now = s.Time.GetUtcNow();
        var errors = DelegationRequestValidator.Validate(body.Value, AccountCaller.Today(s.Time), out var child);
        if (child is null) return Problems.Validation(errors);
        if (child.Snils == guardian.Snils) return Problems.Validation("snils", "Это ваш СНИЛС. Укажите СНИЛС ребёнка.");

        await using var tx = await s.Db.Database.BeginTransactionAsync(ct);
        // Two links of the same child at once would otherwise both create an account or both pass the duplicate check.
        await LockAsync(s.Db, "child:" + child.Snils, ct);

        var account = await s.Db.Users.SingleOrDefaultAsync(u => u.Snils == child.Snils, ct);
        var created = account is null;
        if (account is not null)
        {
            if (account.BirthDate != child.BirthDate || !SameName(account, child.Name))
            {
                return Problems.Validation("snils", "Данные ребёнка не совпадают с учётной записью, зарегистрированной с этим СНИЛС. " +
                                                    "Проверьте фамилию, имя и дату рождения.");
            }
            if (await s.Db.Delegations.AnyAsync(d => d.PrincipalId == account.Id && d.ActorId == guardian.Id
                                                     && d.RevokedAt == null && d.ValidTo > now, ct))
            {
                return DelegationProblems.Conflict("already_linked", "Этот ребёнок уже связан с вашей учётной записью.");
            }
        }
        else
        {
            account = await CreateChildAccountAsync(s, child, now, ct);
            if (account is null)
                return DelegationProblems.Conflict("account_conflict", "Не удалось создать учётную запись ребёнка. Повторите попытку.");
        }

        var delegation = new Delegation
        {
            PrincipalId = account.Id,
            ActorId = guardian.Id,
            Kind = DelegationKind.Guardian,
            Scope = DelegationScope.Manage,
            DocumentReference = child.CertificateReference,
            DocumentIssuedOn = child.CertificateIssuedOn,
            ValidFrom = now,
            ValidTo = AccountCaller.ComingOfAge(child.BirthDate),
            CreatedAt = now,
            CreatedBy = guardian.Id,
        };
        AddGranted(s, delegation, token, now, new Dictionary<string, string> { ["child_account"] = created ? "created" : "existing" });
        await s.Db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        s.Logger.LogInformation("Guardian {GuardianId} linked child {ChildId} (delegation {DelegationId}, account {Account})",
            guardian.Id, account.Id, delegation.Id, created ? "created" : "existing");

        return TypedResults.Created($"{Route}/delegations/{delegation.Id}", new ChildLinkedResponse(
            new PersonView(account.Id, account.FullName, account.BirthDate), created, DelegationView.From(delegation, account, guardian, now)));
    }

    /// <summary>An adult principal lets a representative (an existing account, found by SNILS) act for them.</summary>
    public static async Task<Results<Created<DelegationView>, ValidationProblem, ProblemHttpResult>> GrantAsync(
        Json<GrantDelegationRequest> body, ClaimsPrincipal token, [AsParameters] DelegationServices s, CancellationToken ct)
    {
        if (await AdultConfirmedCallerAsync(token, s) is not { } principal) return await RefusalAsync(token, s);

        var now = s.Time.GetUtcNow();
        var errors = DelegationRequestValidator.Validate(body.Value, now, s.Options.Value.MaxPowerOfAttorneyPeriod, out var grant);
        if (grant is null) return Problems.Validation(errors);

        var representative = await s.Db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Snils == grant.RepresentativeSnils, ct);
        if (representative is null)
        {
            return Problems.Validation("representative.snils",
                "Учётная запись с этим СНИЛС не найдена. Представитель должен сначала зарегистрироваться на портале.");
        }
        if (representative.Id == principal.Id) return Problems.Validation("representative.snils", "Нельзя выдать доверенность самому себе.");
        if (representative.IsManagedByGuardian || !AccountCaller.IsAdult(representative, AccountCaller.Today(s.Time)))
        {
            return Problems.Validation("representative.snils",
                "Представителем может быть только совершеннолетний со своей учётной записью на портале.");
        }

        await using var tx = await s.Db.Database.BeginTransactionAsync(ct);
        await LockAsync(s.Db, "principal:" + principal.Id, ct);
        if (await s.Db.Delegations.AnyAsync(d => d.PrincipalId == principal.Id && d.ActorId == representative.Id
                                                 && d.RevokedAt == null && d.ValidTo > now, ct))
        {
            return DelegationProblems.Conflict("already_granted",
                "У этого представителя уже есть действующий доступ. Отзовите его, чтобы выдать новый.");
        }

        var delegation = new Delegation
        {
            PrincipalId = principal.Id,
            ActorId = representative.Id,
            Kind = DelegationKind.Representative,
            Scope = grant.Scope,
            DocumentReference = grant.PowerOfAttorneyNumber,
            DocumentIssuedOn = grant.PowerOfAttorneyIssuedOn,
            ValidFrom = grant.ValidFrom,
            ValidTo = grant.ValidTo,
            CreatedAt = now,
            CreatedBy = principal.Id,
        };
        AddGranted(s, delegation, token, now, new Dictionary<string, string> { ["representative_id"] = representative.Id.ToString() });
        await s.Db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        s.Logger.LogInformation("Principal {PrincipalId} granted delegation {DelegationId} ({Scope}) to {ActorId}",
            principal.Id, delegation.Id, delegation.Scope, representative.Id);

        return TypedResults.Created($"{Route}/delegations/{delegation.Id}", DelegationView.From(delegation, principal, representative, now));
    }

    /// <summary>Who may act for me (given) and whom I may act for (received), newest first, ended ones included.</summary>
    public static async Task<Results<Ok<DelegationsResponse>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal token, [AsParameters] DelegationServices s, CancellationToken ct)
    {
        if (token.IsActingForSomeoneElse()) return DelegationProblems.OwnAccountOnly();
        var me = token.GetSubjectId();
        var now = s.Time.GetUtcNow();
        var views = await ViewsAsync(s.Db, d => d.PrincipalId == me || d.ActorId == me, now, ct);
        return TypedResults.Ok(new DelegationsResponse(
            views.Where(v => v.Principal.Id == me).ToList(),
            views.Where(v => v.Actor.Id == me).ToList()));
    }

    public static async Task<Results<Ok<DelegationView>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal token, [AsParameters] DelegationServices s, CancellationToken ct)
    {
        if (token.IsActingForSomeoneElse()) return DelegationProblems.OwnAccountOnly();
        var me = token.GetSubjectId();
        var views = await ViewsAsync(s.Db, d => d.Id == id && (d.PrincipalId == me || d.ActorId == me), s.Time.GetUtcNow(), ct);
        return views.Count == 1 ? TypedResults.Ok(views[0]) : DelegationProblems.NotFound(NotFoundDetail);
    }

    /// <summary>
    /// Ends a delegation: the adult principal withdraws it, or the actor gives it up. Every token issued under it stops at
    /// once (deny-list). Revoking an ended delegation again only repeats the deny-list entry.
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        Guid id, ClaimsPrincipal token, [AsParameters] DelegationServices s, CancellationToken ct)
    {
        if (token.IsActingForSomeoneElse()) return DelegationProblems.OwnAccountOnly();
        var me = token.GetSubjectId();
        var delegation = await s.Db.Delegations.AsNoTracking()
            .SingleOrDefaultAsync(d => d.Id == id && (d.PrincipalId == me || d.ActorId == me), ct);
        if (delegation is null) return DelegationProblems.NotFound(NotFoundDetail);
        if (delegation.ActorId != me && delegation.Kind == DelegationKind.Guardian)
        {
            // A child does not sign in; should one ever do, a guardian's authority is not theirs to end.
            return DelegationProblems.Forbidden("guardian_delegation",
                "Полномочия законного представителя ребёнка может прекратить только сам представитель.");
        }

        if (delegation.RevokedAt is null)
        {
            var now = s.Time.GetUtcNow();
            await using var tx = await s.Db.Database.BeginTransactionAsync(ct);
            // Conditional, so that of two concurrent revocations only one records the events.
            var revoked = await s.Db.Delegations
                .Where(d => d.Id == id && d.RevokedAt == null)
                .ExecuteUpdateAsync(u => u.SetProperty(d => d.RevokedAt, now).SetProperty(d => d.RevokedBy, me), ct);
            if (revoked == 1)
            {
                s.Db.AddOutboxEvent(new DelegationRevoked(delegation.Id, delegation.PrincipalId, delegation.ActorId, me, now));
                s.Events.Add(SecurityEventKinds.DelegationRevoked, delegation.PrincipalId, SecurityEvents.Success,
                    new Dictionary<string, string>
                    {
                        ["delegation_id"] = delegation.Id.ToString(),
                        ["kind"] = DelegationScopes.KindName(delegation.Kind),
                        ["revoked_by"] = me == delegation.PrincipalId ? "principal" : "actor",
                    },
                    actorId: me == delegation.PrincipalId ? null : me,
                    clientId: token.GetClientId());
                await s.Db.SaveChangesAsync(ct);
            }
            await tx.CommitAsync(ct);
            s.Logger.LogInformation("Delegation {DelegationId} revoked by {UserId}", delegation.Id, me);
        }

        try
        {
            await s.DenyList.DenyDelegationAsync(delegation.Id, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            s.Logger.LogError("Delegation {DelegationId} is revoked but its tokens could not be deny-listed: {Reason}",
                delegation.Id, e.GetType().Name);
            return DelegationProblems.Problem(StatusCodes.Status503ServiceUnavailable, "deny_list_unavailable",
                "Доступ отозван, но выданные по нему входы не удалось остановить немедленно. Повторите отзыв через несколько секунд.");
        }
        return TypedResults.NoContent();
    }

    /// <summary>The caller's own account when it may grant: not through a delegated token, confirmed, adult.</summary>
    private static async Task<HealthUser?> AdultConfirmedCallerAsync(ClaimsPrincipal token, DelegationServices s)
    {
        if (token.IsActingForSomeoneElse()) return null;
        var user = await AccountCaller.FindAsync(token, s.Users);
        return user is { Level: AccountLevel.Confirmed } && AccountCaller.IsAdult(user, AccountCaller.Today(s.Time)) ? user : null;
    }

    /// <summary>Why <see cref="AdultConfirmedCallerAsync"/> said no.</summary>
    private static async Task<ProblemHttpResult> RefusalAsync(ClaimsPrincipal token, DelegationServices s)
    {
        if (token.IsActingForSomeoneElse()) return DelegationProblems.OwnAccountOnly();
        var user = await AccountCaller.FindAsync(token, s.Users);
        return user is null ? DelegationProblems.AccountUnavailable()
            : user.Level != AccountLevel.Confirmed ? DelegationProblems.AccountNotConfirmed()
            : DelegationProblems.NotAnAdult();
    }

    private static async Task<HealthUser?> CreateChildAccountAsync(DelegationServices s, ValidChild child, DateTimeOffset now, CancellationToken ct)
    {
        var account = new HealthUser
        {
            // Nobody signs in as a child: no password, and a user name nobody types.
            UserName = "child-" + child.Snils,
            FamilyName = child.Name.FamilyName,
            GivenName = child.Name.GivenName,
            MiddleName = child.Name.MiddleName,
            BirthDate = child.BirthDate,
            Snils = child.Snils,
            CreatedAt = now,
            Level = AccountLevel.Standard,
            IsManagedByGuardian = true,
        };
        var createdResult = await s.Users.CreateAsync(account);
        if (!createdResult.Succeeded || !(await s.Users.AddToRoleAsync(account, HealthRoles.Patient)).Succeeded)
        {
            s.Logger.LogWarning("Could not create a child's account: {Errors}", string.Join("; ", createdResult.Errors.Select(e => e.Code)));
            return null;
        }
        s.Db.AddOutboxEvent(new PatientRegistered(account.Id, child.Snils, account.FamilyName, account.GivenName, account.MiddleName,
            child.BirthDate, now));
        return account;
    }

    private static void AddGranted(DelegationServices s, Delegation delegation, ClaimsPrincipal token, DateTimeOffset now,
        Dictionary<string, string> details)
    {
        s.Db.Delegations.Add(delegation);
        var kind = DelegationScopes.KindName(delegation.Kind);
        var scope = DelegationScopes.Name(delegation.Scope);
        s.Db.AddOutboxEvent(new DelegationGranted(delegation.Id, delegation.PrincipalId, delegation.ActorId, kind, scope,
            delegation.ValidFrom, delegation.ValidTo, now));
        details["delegation_id"] = delegation.Id.ToString();
        details["kind"] = kind;
        details["scope"] = scope;
        details["valid_to"] = delegation.ValidTo.ToString("O");
        // The subject is the person who can now be acted for; the actor field says who did it when that is someone else.
        s.Events.Add(SecurityEventKinds.DelegationGranted, delegation.PrincipalId, SecurityEvents.Success, details,
            actorId: delegation.CreatedBy == delegation.PrincipalId ? null : delegation.CreatedBy, clientId: token.GetClientId());
    }

    private static async Task<List<DelegationView>> ViewsAsync(IdentityDb db, System.Linq.Expressions.Expression<Func<Delegation, bool>> filter,
        DateTimeOffset now, CancellationToken ct)
    {
        var rows = await (
                from d in db.Delegations.Where(filter)
                join p in db.Users on d.PrincipalId equals p.Id
                join a in db.Users on d.ActorId equals a.Id
                orderby d.CreatedAt descending
                select new { Delegation = d, Principal = p, Actor = a })
            .AsNoTracking()
            .Take(500)
            .ToListAsync(ct);
        return rows.Select(r => DelegationView.From(r.Delegation, r.Principal, r.Actor, now)).ToList();
    }

    /// <summary>A transaction-scoped PostgreSQL advisory lock: released by commit or rollback.</summary>
    private static Task LockAsync(IdentityDb db, string key, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({"delegations:" + key}, 0))", ct);

    private static bool SameName(HealthUser account, Accounts.PersonName name) =>
        string.Equals(account.FamilyName, name.FamilyName, StringComparison.OrdinalIgnoreCase)
        && string.Equals(account.GivenName, name.GivenName, StringComparison.OrdinalIgnoreCase);
}
