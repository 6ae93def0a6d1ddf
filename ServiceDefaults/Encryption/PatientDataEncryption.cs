using Gosuslugi.Health.ServiceDefaults.Encryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Gosuslugi.Health.ServiceDefaults;

public static class PatientDataEncryption
{
    /// <summary>
    /// Medical content of <typeparamref name="TDb"/> stored with AES-256-GCM under per-patient data keys
    /// (<see cref="PatientDataKeys{TDb}"/>) wrapped by a key-encryption key in the service's HSM token.
    /// </summary>
    public static IHostApplicationBuilder AddPatientDataEncryption<TDb>(this IHostApplicationBuilder builder)
        where TDb : DbContext, IPatientDataKeyStore
    {
        builder.AddServiceHsm<TDb>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<PatientDataKeys<TDb>>();
        return builder;
    }
}

/// <summary>The model side: the keys' table and how a <see cref="Sealed"/> value is stored.</summary>
public static class PatientDataEncryptionModel
{
    /// <summary>Table <c>patient_data_keys</c>: one wrapped key per patient.</summary>
    public static ModelBuilder AddPatientDataKeys(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<PatientDataKey>(key =>
        {
            key.ToTable("patient_data_keys");
            key.HasKey(k => k.PatientId);
            key.Property(k => k.PatientId).ValueGeneratedNever();
            key.Property(k => k.WrappedBy).HasMaxLength(64);
        });
        return modelBuilder;
    }

    /// <summary>Every <see cref="Sealed"/> property is a <c>bytea</c> column holding the sealed bytes as they are.</summary>
    public static ModelConfigurationBuilder StoreSealedValues(this ModelConfigurationBuilder configuration)
    {
        configuration.Properties<Sealed>().HaveConversion<SealedConverter, SealedComparer>();
        return configuration;
    }

    private sealed class SealedConverter() : ValueConverter<Sealed, byte[]>(value => value.Bytes, bytes => Sealed.FromDatabase(bytes));

    // Sealed values never change in place; a new one is a new object, which is all change tracking needs to know.
    private sealed class SealedComparer() : ValueComparer<Sealed>(
        (a, b) => ReferenceEquals(a, b), value => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(value), value => value);
}
