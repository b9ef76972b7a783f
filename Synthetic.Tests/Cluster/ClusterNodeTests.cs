using Npgsql;
using Synthetic.Cluster;

namespace Synthetic.Tests.Cluster;

public sealed class ClusterNodeTests
{
    [Fact]
    public void ForQuartz_NothingGiven_BoundsThePoolAndPreparesStatements()
    {
        var quartz = new NpgsqlConnectionStringBuilder(ClusterNode.ForQuartz("Host=db;Username=u;Password=p w;Database=d"));
        Assert.Equal((ClusterNode.QuartzPoolSize, ClusterNode.QuartzAutoPrepare), (quartz.MaxPoolSize, quartz.MaxAutoPrepare));
        Assert.Equal(("db", "u", "p w", "d"), (quartz.Host, quartz.Username, quartz.Password, quartz.Database));
    }

    [Theory]
    [InlineData("Host=db;Maximum Pool Size=5;Max Auto Prepare=0", 5, 0)]
    [InlineData("Host=db;MaxPoolSize=7;MaxAutoPrepare=3", 7, 3)]
    public void ForQuartz_Given_KeepsTheUsersChoice(string connectionString, int pool, int prepare)
    {
        var quartz = new NpgsqlConnectionStringBuilder(ClusterNode.ForQuartz(connectionString));
        Assert.Equal((pool, prepare), (quartz.MaxPoolSize, quartz.MaxAutoPrepare));
    }
}
