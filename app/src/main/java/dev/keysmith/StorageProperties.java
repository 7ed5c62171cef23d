package dev.keysmith;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;

/**
 * Where data lives ({@code keysmith.*}): the data directory for the embedded stores, and the MongoDB URI that
 * replaces the embedded MongoDB when set. The relational store is Spring's {@code spring.datasource.*}.
 *
 * @param dataDir          directory of the embedded H2 event store and embedded MongoDB ({@code KEYSMITH_DATA_DIR})
 * @param mongodbUri       a real MongoDB ({@code KEYSMITH_MONGODB_URI}); blank = embedded mongo-java-server
 * @param mongodbDatabase  the database name for the read models
 * @param embeddedMongo    {@code file} (H2 file under the data directory) or {@code memory} (tests)
 */
@ConfigurationProperties("keysmith")
record StorageProperties(Path dataDir, String mongodbUri, String mongodbDatabase, String embeddedMongo) {

    StorageProperties {
        dataDir = dataDir != null ? dataDir : Path.of("data");
        mongodbDatabase = mongodbDatabase != null && !mongodbDatabase.isBlank() ? mongodbDatabase : "keysmith";
        embeddedMongo = embeddedMongo != null && !embeddedMongo.isBlank() ? embeddedMongo : "file";
    }

    boolean embedded() {
        return mongodbUri == null || mongodbUri.isBlank();
    }
}
