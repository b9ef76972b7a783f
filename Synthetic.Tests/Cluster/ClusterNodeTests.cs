using Npgsql;
using Synthetic.Cluster;

namespace Synthetic.Tests.Cluster;

public sealed class ClusterNodeTests
{
    [Fact]
    public void LimitPool_NoPoolSizeGiven_BoundsQuartzConnections()
    {
        var limited = new NpgsqlConnectionStringBuilder(ClusterNode.LimitPool("Host=db;Username=u;Password=p w;Database=d", 20));
        Assert.Equal(20, limited.MaxPoolSize);
        Assert.Equal(("db", "u", "p w", "d"), (limited.Host, limited.Username, limited.Password, limited.Database));
    }

    [Theory]
    [InlineData("Host=db;Maximum Pool Size=5", 5)]
    [InlineData("Host=db;MaxPoolSize=7", 7)]
    public void LimitPool_PoolSizeGiven_KeepsTheUsersChoice(string connectionString, int expected) =>
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(ClusterNode.LimitPool(connectionString, 20)).MaxPoolSize);
}
