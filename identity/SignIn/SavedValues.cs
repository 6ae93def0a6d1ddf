using Gosuslugi.Health.Identity.Data;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Identity.SignIn;

internal static class SavedValues
{
    /// <summary>
    /// Mirrors on a (possibly tracked) entity what an <c>ExecuteUpdate</c> already wrote to the database: the new
    /// values become its current and original ones, so that a later SaveChanges neither writes them again nor trips
    /// over the concurrency stamp the update changed.
    /// </summary>
    public static void Mirror<T>(this IdentityDb db, T entity, Action<T> apply) where T : class
    {
        apply(entity);
        var entry = db.Entry(entity);
        if (entry.State == EntityState.Detached) return;
        entry.OriginalValues.SetValues(entry.CurrentValues);
        entry.State = EntityState.Unchanged;
    }
}
