-- The WordPress-shaped data the end-to-end page reads. Safe to run again.
CREATE DATABASE IF NOT EXISTS wordpress;
CREATE TABLE IF NOT EXISTS wordpress.wp_posts (
  ID BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  post_title TEXT NOT NULL,
  post_content LONGTEXT NOT NULL
);
REPLACE INTO wordpress.wp_posts (ID, post_title, post_content)
  VALUES (4, 'Hello world!', 'Such hello, much world. Wow. Hello world.');
CREATE USER IF NOT EXISTS 'wp'@'localhost' IDENTIFIED BY 'wp-e2e-password';
ALTER USER 'wp'@'localhost' IDENTIFIED BY 'wp-e2e-password';
GRANT SELECT ON wordpress.* TO 'wp'@'localhost';
FLUSH PRIVILEGES;
-- The same user over TCP (127.0.0.1, our own port): with skip-name-resolve that is its own account.
CREATE USER IF NOT EXISTS 'wp'@'127.0.0.1' IDENTIFIED BY 'wp-e2e-password';
ALTER USER 'wp'@'127.0.0.1' IDENTIFIED BY 'wp-e2e-password';
GRANT SELECT ON wordpress.* TO 'wp'@'127.0.0.1';
FLUSH PRIVILEGES;
