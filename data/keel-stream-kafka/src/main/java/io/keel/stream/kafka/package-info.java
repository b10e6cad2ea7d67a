/**
 * Kafka source of document events: {@link io.keel.stream.kafka.KafkaIngestion}, configured by
 * {@link io.keel.stream.kafka.KafkaIngestionConfig} ({@code streaming.kafka.*}). Offsets are committed only after the
 * index commit that contains their records; records that cannot be applied go to a dead-letter topic.
 */
package io.keel.stream.kafka;
