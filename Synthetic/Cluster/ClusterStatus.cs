using Prometheus;

namespace Synthetic.Cluster;

/// <summary>What this node knows of the cluster: whether the database answers, and how many nodes are alive.</summary>
internal sealed class ClusterStatus
{
    private readonly Gauge _dbUp;
    private readonly Gauge _nodes;
    private int _up = 1;

    public ClusterStatus(Metrics.SyntheticMetrics metrics)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(metrics.Registry);
        _dbUp = factory.CreateGauge("synthetic_cluster_db_up", "1 while this node reaches the cluster's PostgreSQL, else 0.");
        _nodes = factory.CreateGauge("synthetic_cluster_nodes", "Cluster nodes alive (heartbeat within CheckinInterval + 2 s), as last read from the database.");
        _dbUp.Set(1);
    }

    public bool DatabaseUp => Volatile.Read(ref _up) == 1;

    /// <summary>Sets the state; true when it changed (the caller logs changes only).</summary>
    public bool SetDatabaseUp(bool up)
    {
        _dbUp.Set(up ? 1 : 0);
        return Interlocked.Exchange(ref _up, up ? 1 : 0) != (up ? 1 : 0);
    }

    public int Nodes { get; private set; }

    public void SetNodes(int nodes)
    {
        Nodes = nodes;
        _nodes.Set(nodes);
    }
}
