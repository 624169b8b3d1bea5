namespace AyaQC.Storage.Schema;

/// <summary>
/// Orleans' ADO.NET clustering on our PostgreSQL database (schema step 3). Orleans reads the SQL it runs from the
/// <c>OrleansQuery</c> table by key; these texts are ours, written against that contract (parameters
/// <c>@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @SuspectTimes,
/// @StartTime, @IAmAliveTime, @Version</c>; result columns of the same names). Every change to a silo's row bumps
/// the deployment's version in the same statement, which is Orleans' optimistic concurrency check.
/// </summary>
public static class OrleansMembershipSchema
{
    public static IReadOnlyList<string> Tables { get; } =
    [
        """
        CREATE TABLE OrleansQuery (
            QueryKey varchar(64) PRIMARY KEY,
            QueryText varchar(8000) NOT NULL)
        """,
        """
        CREATE TABLE orleans_membership_version (
            deployment_id varchar(150) PRIMARY KEY,
            changed_at timestamptz NOT NULL DEFAULT now(),
            version integer NOT NULL DEFAULT 0)
        """,
        """
        CREATE TABLE orleans_membership (
            deployment_id varchar(150) NOT NULL REFERENCES orleans_membership_version (deployment_id),
            address varchar(45) NOT NULL,
            port integer NOT NULL,
            generation integer NOT NULL,
            silo_name varchar(150) NOT NULL,
            host_name varchar(150) NOT NULL,
            status integer NOT NULL,
            proxy_port integer NULL,
            suspect_times varchar(8000) NULL,
            start_time timestamptz NOT NULL,
            i_am_alive_time timestamptz NOT NULL,
            PRIMARY KEY (deployment_id, address, port, generation))
        """,
    ];

    const string RowColumns = """
        v.deployment_id AS DeploymentId, m.address AS Address, m.port AS Port, m.generation AS Generation,
        m.silo_name AS SiloName, m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort,
        m.suspect_times AS SuspectTimes, m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime, v.version AS Version
        """;

    const string BumpVersion = """
        bumped AS (
            UPDATE orleans_membership_version SET version = version + 1, changed_at = now()
            WHERE deployment_id = @DeploymentId AND version = @Version
            RETURNING deployment_id)
        """;

    /// <summary>Query key → SQL, as Orleans 10.4.2's membership table asks for them.</summary>
    public static IReadOnlyDictionary<string, string> Queries { get; } = new Dictionary<string, string>
    {
        ["InsertMembershipVersionKey"] = """
            WITH created AS (
                INSERT INTO orleans_membership_version (deployment_id) VALUES (@DeploymentId)
                ON CONFLICT (deployment_id) DO NOTHING RETURNING 1)
            SELECT COUNT(*)::integer FROM created
            """,
        ["InsertMembershipKey"] = $"""
            WITH {BumpVersion},
            added AS (
                INSERT INTO orleans_membership (deployment_id, address, port, generation, silo_name, host_name, status,
                                                proxy_port, start_time, i_am_alive_time)
                SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
                FROM bumped
                ON CONFLICT (deployment_id, address, port, generation) DO NOTHING RETURNING 1)
            SELECT COUNT(*)::integer FROM added
            """,
        ["UpdateMembershipKey"] = $"""
            WITH {BumpVersion},
            changed AS (
                UPDATE orleans_membership m
                SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = GREATEST(m.i_am_alive_time, @IAmAliveTime)
                FROM bumped b
                WHERE m.deployment_id = b.deployment_id AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
                RETURNING 1)
            SELECT COUNT(*)::integer FROM changed
            """,
        ["UpdateIAmAlivetimeKey"] = """
            UPDATE orleans_membership SET i_am_alive_time = GREATEST(i_am_alive_time, @IAmAliveTime)
            WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
            """,
        ["MembershipReadRowKey"] = $"""
            SELECT {RowColumns}
            FROM orleans_membership_version v
            LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
                AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
            WHERE v.deployment_id = @DeploymentId
            """,
        ["MembershipReadAllKey"] = $"""
            SELECT {RowColumns}
            FROM orleans_membership_version v
            LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
            WHERE v.deployment_id = @DeploymentId
            """,
        ["GatewaysQueryKey"] = """
            SELECT address AS Address, proxy_port AS ProxyPort, generation AS Generation
            FROM orleans_membership
            WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
            """,
        // Membership rows only (Orleans' own bookkeeping): a whole deployment, or dead silos no longer alive.
        ["DeleteMembershipTableEntriesKey"] = """
            WITH rows AS (DELETE FROM orleans_membership WHERE deployment_id = @DeploymentId)
            DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId
            """,
        ["CleanupDefunctSiloEntriesKey"] = """
            DELETE FROM orleans_membership
            WHERE deployment_id = @DeploymentId AND status = 6 AND i_am_alive_time < @IAmAliveTime
            """,
        ["CleanupDefunctSiloEntryKey"] = """
            DELETE FROM orleans_membership
            WHERE deployment_id = @DeploymentId AND status = 6 AND address = @Address AND port = @Port AND generation = @Generation
            """,
    };

    /// <summary>The query rows as one INSERT; texts are dollar-quoted so they need no escaping.</summary>
    public static string InsertQueries => "INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES\n" +
        string.Join(",\n", Queries.Select(q => $"('{q.Key}', $q${q.Value}$q$)"));
}
