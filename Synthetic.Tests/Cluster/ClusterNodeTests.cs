using Npgsql;
using Synthetic.Cluster;

namespace Synthetic.Tests.Cluster;

public sealed class ClusterNodeTests
{
    [Fact]
    public void ForQuartz_NothingGiven_BoundsThePoolAndPreparesStatements()
    {
        var quartz = new NpgsqlConnectionStringBuilder(ClusterNode.ForQuartz("Host=db;Username=u;Password=p w;Database=d"));
        Assert.Equal((ClusterNode.QuartzPoolSize, ClusterNode.QuartzAutoPrepare, true), (quartz.MaxPoolSize, quartz.MaxAutoPrepare, quartz.NoResetOnClose));
        Assert.Equal(("db", "u", "p w", "d"), (quartz.Host, quartz.Username, quartz.Password, quartz.Database));
    }

    [Theory]
    [InlineData("Host=db;Maximum Pool Size=5;Max Auto Prepare=0;No Reset On Close=false", 5, 0, false)]
    [InlineData("Host=db;MaxPoolSize=7;MaxAutoPrepare=3;NoResetOnClose=true", 7, 3, true)]
    public void ForQuartz_Given_KeepsTheUsersChoice(string connectionString, int pool, int prepare, bool noReset)
    {
        var quartz = new NpgsqlConnectionStringBuilder(ClusterNode.ForQuartz(connectionString));
        Assert.Equal((pool, prepare, noReset), (quartz.MaxPoolSize, quartz.MaxAutoPrepare, quartz.NoResetOnClose));
    }
}
