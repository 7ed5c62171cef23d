package dev.keysmith.keys.tenant;

import com.mongodb.MongoSocketOpenException;
import com.mongodb.ServerAddress;
import com.mongodb.connection.ClusterConnectionMode;
import com.mongodb.connection.ClusterDescription;
import com.mongodb.connection.ClusterType;
import com.mongodb.connection.ServerConnectionState;
import com.mongodb.connection.ServerDescription;
import com.mongodb.connection.ServerType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** When the read-your-writes wait gives up at once: only when the driver has failed to reach every server. */
class StreamingProjectionsTests {

    static ServerDescription server(int port, ServerConnectionState state, ServerType type, boolean failed) {
        ServerDescription.Builder builder = ServerDescription.builder().address(new ServerAddress("127.0.0.1", port))
                .state(state).type(type);
        if (failed) {
            builder.exception(new MongoSocketOpenException("Exception opening socket",
                    new ServerAddress("127.0.0.1", port)));
        }
        return builder.build();
    }

    static ClusterDescription cluster(ClusterType type, ServerDescription... servers) {
        return new ClusterDescription(ClusterConnectionMode.MULTIPLE, type, List.of(servers));
    }

    @Test
    void aConnectedPrimaryIsReachable() {
        assertThat(StreamingProjections.unreachable(cluster(ClusterType.STANDALONE,
                server(27017, ServerConnectionState.CONNECTED, ServerType.STANDALONE, false)))).isFalse();
    }

    @Test
    void aServerStillBeingConnectedToForTheFirstTimeIsNotUnreachable() {
        assertThat(StreamingProjections.unreachable(cluster(ClusterType.UNKNOWN,
                server(27017, ServerConnectionState.CONNECTING, ServerType.UNKNOWN, false)))).isFalse();
        assertThat(StreamingProjections.unreachable(cluster(ClusterType.UNKNOWN))).isFalse();
    }

    @Test
    void everyServerFailedIsUnreachable() {
        assertThat(StreamingProjections.unreachable(cluster(ClusterType.UNKNOWN,
                server(27017, ServerConnectionState.CONNECTING, ServerType.UNKNOWN, true)))).isTrue();
        assertThat(StreamingProjections.unreachable(cluster(ClusterType.REPLICA_SET,
                server(27017, ServerConnectionState.CONNECTING, ServerType.UNKNOWN, true),
                server(27018, ServerConnectionState.CONNECTING, ServerType.UNKNOWN, true)))).isTrue();
    }

    @Test
    void aReplicaSetWithAPrimaryLeftIsReachable() {
        assertThat(StreamingProjections.unreachable(cluster(ClusterType.REPLICA_SET,
                server(27017, ServerConnectionState.CONNECTING, ServerType.UNKNOWN, true),
                server(27018, ServerConnectionState.CONNECTED, ServerType.REPLICA_SET_PRIMARY, false)))).isFalse();
    }
}
