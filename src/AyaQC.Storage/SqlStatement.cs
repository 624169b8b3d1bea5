using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;

namespace AyaQC.Storage;

/// <summary>
/// One parameterized statement of a group-committed write (<see cref="SqlDatabase.CommitGroupedAsync"/>). Each
/// argument names its type, so a null keeps its column's type: Npgsql reuses a prepared statement only while the
/// parameter types match, and a null otherwise re-prepares it (seen with perf).
/// </summary>
public sealed record SqlStatement(string Sql, IReadOnlyList<SqlArg> Args)
{
    /// <summary>Sets the arguments, reusing the parameters a kept command already has.</summary>
    public void BindTo(DbParameterCollection ps, Func<DbParameter> create)
    {
        foreach (var a in Args) a.SetOn(ps, create);
    }

    static readonly ConditionalWeakTable<DbConnection, Dictionary<string, DbCommand>> PreparedOn = new();

    /// <summary>A command kept with its long-lived connection (the SQLite writer), so its statement is prepared once.</summary>
    internal static DbCommand Prepared(DbConnection c, DbTransaction tx, string sql)
    {
        var cache = PreparedOn.GetOrCreateValue(c);
        if (!cache.TryGetValue(sql, out var cmd))
        {
            cmd = c.CreateCommand();
            cmd.CommandText = sql;
            cache[sql] = cmd;
        }
        cmd.Transaction = tx;
        return cmd;
    }
}

/// <summary>A named argument (<c>@Name</c> in the statement) with its database type.</summary>
public readonly record struct SqlArg(string Name, object? Value, DbType Type)
{
    internal void SetOn(DbParameterCollection ps, Func<DbParameter> create)
    {
        var name = "@" + Name;
        var at = ps.IndexOf(name);
        DbParameter p;
        if (at >= 0) p = ps[at];
        else
        {
            p = create();
            p.ParameterName = name;
            p.DbType = Type;
            ps.Add(p);
        }
        p.Value = Value ?? DBNull.Value;
    }
}
