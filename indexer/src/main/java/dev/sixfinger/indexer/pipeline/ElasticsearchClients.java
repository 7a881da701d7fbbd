package dev.sixfinger.indexer.pipeline;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;

/** Builds the Elasticsearch client from the configured URLs. */
public final class ElasticsearchClients {
  private ElasticsearchClients() {}

  /**
   * @throws IllegalArgumentException naming a URL that is not {@code http(s)://host:port}
   */
  public static ElasticsearchClient create(List<String> urls, Duration requestTimeout) {
    HttpHost[] hosts = new HttpHost[urls.size()];
    for (int i = 0; i < hosts.length; i++) {
      hosts[i] = host(urls.get(i));
    }
    RestClient rest =
        RestClient.builder(hosts)
            .setRequestConfigCallback(
                c ->
                    c.setConnectTimeout(5_000)
                        .setSocketTimeout(
                            (int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis())))
            .build();
    return new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper()));
  }

  /** The low-level client under {@code client}, for the bulk path. */
  public static RestClient restClient(ElasticsearchClient client) {
    if (client._transport() instanceof RestClientTransport t) {
      return t.restClient();
    }
    throw new IllegalArgumentException("the indexer needs a client built by ElasticsearchClients");
  }

  static HttpHost host(String url) {
    URI u;
    try {
      u = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("elasticsearch.hosts: '" + url + "' is not a URL", e);
    }
    if (u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
      throw new IllegalArgumentException(
          "elasticsearch.hosts: '" + url + "' must look like http://localhost:9200");
    }
    int port = u.getPort() > 0 ? u.getPort() : 9200;
    return new HttpHost(u.getHost(), port, u.getScheme());
  }
}
