<?php $db_password = "blog-db-password";
